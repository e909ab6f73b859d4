"""The desktop app: the customer wizard. The only package that imports Qt."""
