; Per-user Windows installer (Inno Setup 6): no administrator rights, Start
; menu and desktop shortcuts named 購入証明アシスタント, an uninstaller, and
; bundles opening in the review window for staff. Windows picks a file's
; program by its last extension only, so a .receipt.zip is a .zip to it: the
; app joins "Open with" and the right-click menu of ZIP files instead of
; taking ZIP files over.
;
;   iscc /DAppVersion=0.1.0 /DSourceDir=dist\receipt-assistant /DOutputDir=dist packaging\windows\receipt-assistant.iss
;
; `make installer` on Windows runs it after `make dist`. Saved as UTF-8 with a
; byte-order mark: without it Inno Setup reads the Japanese name as ANSI.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\receipt-assistant"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#define AppName "購入証明アシスタント"
#define AppExe "receipt-assistant.exe"

[Setup]
AppId={{6C3F7E2A-9B1D-4E55-A0C2-5F2D7B8E4A11}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\receipt-assistant
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
OutputDir={#OutputDir}
OutputBaseFilename=receipt-assistant-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\build\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "ja"; MessagesFile: "compiler:Languages\Japanese.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; HKA is the current user's hive in a per-user install: no administrator needed.
Root: HKA; Subkey: "Software\Classes\ReceiptAssistant.Bundle"; ValueType: string; ValueName: ""; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\ReceiptAssistant.Bundle\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\ReceiptAssistant.Bundle\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" review ""%1"""
Root: HKA; Subkey: "Software\Classes\.zip\OpenWithProgids"; ValueType: none; ValueName: "ReceiptAssistant.Bundle"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\SystemFileAssociations\.zip\shell\ReceiptAssistantReview"; ValueType: string; ValueName: ""; ValueData: "{#AppName}で確認 / Review"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\SystemFileAssociations\.zip\shell\ReceiptAssistantReview"; ValueType: string; ValueName: "Icon"; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\SystemFileAssociations\.zip\shell\ReceiptAssistantReview\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" review ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
