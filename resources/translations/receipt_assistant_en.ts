<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="ja">
<context>
    <name>CameraDialog</name>
    <message>
        <source>カメラで撮る</source>
        <translation>Take with camera</translation>
    </message>
    <message>
        <source>レシートを明るい場所に平らに置き、全体が映るようにカメラを向けてください。文字にピントが合い、下に「読み取りやすい画像です。」と出たら「撮る」を押します。</source>
        <translation>Lay the slip flat in a bright place and point the camera at it so the whole slip is in the picture. When the text is in focus and “This image is easy to read.” appears below, press “Take photo”.</translation>
    </message>
    <message>
        <source>カメラ:</source>
        <translation>Camera:</translation>
    </message>
    <message>
        <source>使うカメラ</source>
        <translation>Camera to use</translation>
    </message>
    <message>
        <source>カメラを起動しています…</source>
        <translation>Starting the camera…</translation>
    </message>
    <message>
        <source>カメラの映像</source>
        <translation>Camera picture</translation>
    </message>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>撮る</source>
        <translation>Take photo</translation>
    </message>
    <message>
        <source>画像を確かめています…</source>
        <translation>Checking the picture…</translation>
    </message>
    <message>
        <source>読み取りやすい画像です。</source>
        <translation>This image is easy to read.</translation>
    </message>
    <message>
        <source>写真を保存しています…</source>
        <translation>Saving the photo…</translation>
    </message>
    <message>
        <source>写真を保存できませんでした（{0}）。ディスクの空きを確認してください。</source>
        <translation>The photo could not be saved ({0}). Check that the disk has free space.</translation>
    </message>
</context>
<context>
    <name>Card</name>
    <message>
        <source>✓ 選んでいます</source>
        <translation>✓ Chosen</translation>
    </message>
</context>
<context>
    <name>DetailsPage</name>
    <message>
        <source>お客様の情報</source>
        <translation>Your details</translation>
    </message>
    <message>
        <source>ショップにお知らせいただいた金額と購入日を入力してください。</source>
        <translation>Enter the amount and the purchase date you gave the shop.</translation>
    </message>
    <message>
        <source>例: 5,000</source>
        <translation>e.g. 5,000</translation>
    </message>
    <message>
        <source>例: taro@example.jp</source>
        <translation>e.g. taro@example.jp</translation>
    </message>
    <message>
        <source>金額（円）</source>
        <translation>Amount (yen)</translation>
    </message>
    <message>
        <source>購入日</source>
        <translation>Purchase date</translation>
    </message>
    <message>
        <source>お名前（任意）</source>
        <translation>Name (optional)</translation>
    </message>
    <message>
        <source>メールアドレス（任意）</source>
        <translation>Email (optional)</translation>
    </message>
    <message>
        <source>受付番号（任意）</source>
        <translation>Reception number (optional)</translation>
    </message>
    <message>
        <source>金額を数字で入力してください（例: 5,000）。</source>
        <translation>Enter the amount in figures (e.g. 5,000).</translation>
    </message>
    <message>
        <source>購入日が今日より後になっています。正しい日付を選んでください。</source>
        <translation>The purchase date is after today. Please choose the right date.</translation>
    </message>
    <message>
        <source>確認へ進む</source>
        <translation>Go to the final check</translation>
    </message>
    <message>
        <source>入力した金額 {0:,} 円は、画像の金額 {1:,} 円と違います。どちらが正しいか確かめてください（違うまま保存すると、その旨がショップに伝わります）。</source>
        <translation>The amount you entered, {0:,} yen, differs from the {1:,} yen on the image. Please check which is right (if you save it as it is, the shop will see the difference).</translation>
    </message>
    <message>
        <source>入力した購入日 {0} は、画像の日付 {1} と違います。</source>
        <translation>The purchase date you entered, {0}, differs from the date on the image, {1}.</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>送るファイルを保存します</source>
        <translation>Save the file to send</translation>
    </message>
    <message>
        <source>保存先を変える…</source>
        <translation>Change folder…</translation>
    </message>
    <message>
        <source>保存先:</source>
        <translation>Save to:</translation>
    </message>
    <message>
        <source>保存する</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>確認コード:</source>
        <translation>Fingerprint:</translation>
    </message>
    <message>
        <source>コピー</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>フォルダを開く</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>フォルダを開けませんでした。保存した場所は次のとおりです:</source>
        <translation>The folder could not be opened. The file was saved here:</translation>
    </message>
    <message>
        <source>保存した場所</source>
        <translation>Where the file was saved</translation>
    </message>
    <message>
        <source>場所をコピー</source>
        <translation>Copy location</translation>
    </message>
    <message>
        <source>このファイルを、ショップからのご案内メール（またはお問い合わせフォーム）に添付して送ってください。メッセージの本文には、上の確認コードを書き添えてください。レシートの紙も大切に保管してください。</source>
        <translation>Attach this file to a reply to the shop&apos;s email (or to its contact form) and send it. Write the fingerprint above in the message. Please keep the paper slip too.</translation>
    </message>
    <message>
        <source>ショップに伝わる内容</source>
        <translation>What the shop will see</translation>
    </message>
    <message>
        <source>保存しています…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>保存しました: {0}</source>
        <translation>Saved: {0}</translation>
    </message>
    <message>
        <source>予期しない問題で保存できませんでした。</source>
        <translation>The file could not be saved because of an unexpected problem.</translation>
    </message>
    <message>
        <source>入力した内容と画像はそのまま残っています。</source>
        <translation>Your details and images are still here.</translation>
    </message>
    <message>
        <source>コピーしました</source>
        <translation>Copied</translation>
    </message>
    <message>
        <source>保存しています。少しお待ちください。</source>
        <translation>Saving. Please wait a moment.</translation>
    </message>
    <message>
        <source>「保存する」を押すと、送るファイルができます。</source>
        <translation>Press “Save” to make the file to send.</translation>
    </message>
    <message>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>FieldRow</name>
    <message>
        <source>画像の該当部分</source>
        <translation>The part of the image</translation>
    </message>
    <message>
        <source>{0}を入力</source>
        <translation>Enter the {0}</translation>
    </message>
    <message>
        <source>違っていたら正しい値を入力（{0}）</source>
        <translation>If it is wrong, type the right value ({0})</translation>
    </message>
    <message>
        <source>✓ 読み取りました</source>
        <translation>✓ Read</translation>
    </message>
    <message>
        <source>？ 確かめてください</source>
        <translation>? Please check</translation>
    </message>
    <message>
        <source>✎ あなたが入力した値</source>
        <translation>✎ Your value</translation>
    </message>
    <message>
        <source>！ 見つかりません</source>
        <translation>! Not found</translation>
    </message>
</context>
<context>
    <name>GuidePage</name>
    <message>
        <source>「領収書等」がある画面</source>
        <translation>Page with 「領収書等」 (receipts)</translation>
    </message>
    <message>
        <source>「請求書のダウンロード」がある画面（2025年〜）</source>
        <translation>Page with 「請求書のダウンロード」 (2025 and later)</translation>
    </message>
    <message>
        <source>注文履歴をブラウザで開く</source>
        <translation>Open your order history in the browser</translation>
    </message>
</context>
<context>
    <name>ImageView</name>
    <message>
        <source>読み取った画像</source>
        <translation>The image read</translation>
    </message>
</context>
<context>
    <name>ImagesPage</name>
    <message>
        <source>画像を追加してください</source>
        <translation>Add the image(s)</translation>
    </message>
    <message>
        <source>スクリーンショットは「貼り付け」（Ctrl+V / ⌘V）、画像や PDF はこの画面にドラッグするか「ファイルを選ぶ」から。1 枚に収まらない場合は、続けて何枚でも追加できます。</source>
        <translation>Paste a screenshot (Ctrl+V / ⌘V), or drag images and PDFs onto this page, or use “Choose files”. If the receipt does not fit in one picture, add as many as you need.</translation>
    </message>
    <message>
        <source>貼り付け</source>
        <translation>Paste</translation>
    </message>
    <message>
        <source>ファイルを選ぶ…</source>
        <translation>Choose files…</translation>
    </message>
    <message>
        <source>カメラで撮る</source>
        <translation>Take with camera</translation>
    </message>
    <message>
        <source>選んだ画像を外す</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <source>前へ</source>
        <translation>Move up</translation>
    </message>
    <message>
        <source>後ろへ</source>
        <translation>Move down</translation>
    </message>
    <message>
        <source>右に回す</source>
        <translation>Turn right</translation>
    </message>
    <message>
        <source>ここに画像や PDF をドラッグしてください。
スクリーンショットは Ctrl+V（Mac は ⌘V）で貼り付けられます。「ファイルを選ぶ」や「カメラで撮る」も使えます。</source>
        <translation>Drag images or PDFs here.
Paste a screenshot with Ctrl+V (⌘V on a Mac). You can also use “Choose files” or “Take with camera”.</translation>
    </message>
    <message>
        <source>追加した画像</source>
        <translation>Images added</translation>
    </message>
    <message>
        <source>クリップボードに画像がありません。スクリーンショットを撮ってから、もう一度「貼り付け」を押してください。</source>
        <translation>There is no image on the clipboard. Take a screenshot, then press “Paste” again.</translation>
    </message>
    <message>
        <source>貼り付けた画像を保存できませんでした。ディスクの空きを確認してください。</source>
        <translation>The pasted image could not be saved. Check that the disk has free space.</translation>
    </message>
    <message>
        <source>画像を確認しています…</source>
        <translation>Checking the images…</translation>
    </message>
    <message>
        <source>画像を確認できませんでした。別の形式（PNG や JPEG）で保存し直して、もう一度追加してください。</source>
        <translation>The image could not be checked. Save it again in another format (PNG or JPEG) and add it again.</translation>
    </message>
    <message>
        <source>読み取りやすい画像です。</source>
        <translation>This image is easy to read.</translation>
    </message>
    <message>
        <source>読み取りにくいかもしれない画像があります。撮り直した画像を追加して古い方を外すか、このまま読み取って結果を確かめてください。</source>
        <translation>Some images may be hard to read. Add a new picture and remove the old one, or read them as they are and check the result.</translation>
    </message>
    <message>
        <source>画像を確認しています。少しお待ちください。</source>
        <translation>Checking the images. Please wait a moment.</translation>
    </message>
    <message>
        <source>画像を 1 枚以上追加すると、読み取りに進めます。</source>
        <translation>Add at least one image to go on to reading.</translation>
    </message>
    <message>
        <source>読み取る</source>
        <translation>Read</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>次へ</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>QtCameraSource</name>
    <message>
        <source>カメラの使用が許可されていません。システムの設定で、このアプリにカメラの使用を許可してください。</source>
        <translation>This app is not allowed to use the camera. Allow it in the system settings.</translation>
    </message>
    <message>
        <source>カメラが見つかりません。</source>
        <translation>No camera found.</translation>
    </message>
    <message>
        <source>カメラを使えませんでした（{0}）。ほかのアプリがカメラを使っていないか確かめてください。</source>
        <translation>The camera could not be used ({0}). Check that no other app is using it.</translation>
    </message>
</context>
<context>
    <name>ReadingPage</name>
    <message>
        <source>画像を読み取っています</source>
        <translation>Reading the images</translation>
    </message>
    <message>
        <source>大きな写真や何ページもある PDF では、少し時間がかかります。</source>
        <translation>Large photos and PDFs with many pages take a little longer.</translation>
    </message>
    <message>
        <source>読み取りの進み具合</source>
        <translation>Reading progress</translation>
    </message>
    <message>
        <source>中止</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>中止しています…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>ResultsPage</name>
    <message>
        <source>拡大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <source>縮小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <source>前のページ</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <source>次のページ</source>
        <translation>Next page</translation>
    </message>
    <message>
        <source>読み取った内容を確かめてください</source>
        <translation>Check what was read</translation>
    </message>
    <message>
        <source>購入日</source>
        <translation>Purchase date</translation>
    </message>
    <message>
        <source>例: 2024-05-01</source>
        <translation>e.g. 2024-05-01</translation>
    </message>
    <message>
        <source>金額</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>例: 5,000</source>
        <translation>e.g. 5,000</translation>
    </message>
    <message>
        <source>ギフトカードの行</source>
        <translation>Gift-card line</translation>
    </message>
    <message>
        <source>撮り直さずに、この画像のまま進む（その旨が記録されます）</source>
        <translation>Go on with these images without retaking them (this is recorded)</translation>
    </message>
    <message>
        <source>Amazon ギフトカードを買った行が見つかりました。</source>
        <translation>Found the line showing the Amazon gift card was bought.</translation>
    </message>
    <message>
        <source>読み取りがやや不確かです。画像の枠の部分と見比べて、違っていたら正しい値を入力してください。</source>
        <translation>This was not read with certainty. Compare it with the outlined part of the image and type the right value if it is wrong.</translation>
    </message>
    <message>
        <source>画像から読み取った値: {0}</source>
        <translation>Value read from the image: {0}</translation>
    </message>
    <message>
        <source>画像からは読み取れなかったので、あなたが入力した値を使います。</source>
        <translation>It could not be read from the image, so the value you typed is used.</translation>
    </message>
    <message>
        <source>Amazon ギフトカードは支払いに使われた行としてだけ書かれていて、買った商品の行は見つかりませんでした。</source>
        <translation>An Amazon gift card appears only as a way of paying, not as an item bought.</translation>
    </message>
    <message>
        <source>Amazon ギフトカードを買ったことを示す行が見つかりませんでした。</source>
        <translation>No line shows an Amazon gift card being bought.</translation>
    </message>
    <message>
        <source>ギフトカードを買ったときのレシート（領収書）か確かめてください。違う場合は「戻る」で正しい画像を追加してください。</source>
        <translation>Please check that this is the receipt of the gift-card purchase. If it is not, use “Back” to add the right image.</translation>
    </message>
    <message>
        <source>画像の中に見つけられませんでした。画像で確かめて、下の欄に入力してください。</source>
        <translation>It was not found in the image. Look at the image and type it in the box below.</translation>
    </message>
    <message>
        <source>{0:,} 円</source>
        <translation>¥{0:,}</translation>
    </message>
    <message>
        <source>「{0}」は{1}として読めません。{2}の形で入力してください。</source>
        <translation>“{0}” cannot be understood as the {1}. Please type it like this: {2}.</translation>
    </message>
    <message>
        <source>撮り直した画像を追加するか、「この画像のまま進む」にチェックを入れてください。</source>
        <translation>Add a retaken image, or tick “Go on with these images”.</translation>
    </message>
    <message>
        <source>注文番号: {0}</source>
        <translation>Order number: {0}</translation>
    </message>
    <message>
        <source>お店: {0}</source>
        <translation>Store: {0}</translation>
    </message>
    <message>
        <source>見つからない項目がある場合は「戻る」でよりはっきりした画像を追加できます。</source>
        <translation>If something was not found, go “Back” to add a clearer image.</translation>
    </message>
    <message>
        <source>読み取れなかった項目があります。画像に次の問題があるため、撮り直しをおすすめします。「戻る」で撮り直した画像を追加してください。</source>
        <translation>Some items could not be read. The images have the problems below, so taking them again is recommended: use Back to add the new pictures.</translation>
    </message>
    <message>
        <source>このままでも、購入日と金額を入力して保存できます。ショップが画像を見て確認します。</source>
        <translation>You can still type the purchase date and the amount and save; the shop will check the image itself.</translation>
    </message>
    <message>
        <source>{0} / {1} ページ</source>
        <translation>Page {0} of {1}</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <source>提出の確認（スタッフ用）</source>
        <translation>Submissions review (staff)</translation>
    </message>
    <message>
        <source>フォルダを開く…</source>
        <translation>Open folder…</translation>
    </message>
    <message>
        <source>検索（金額・日付・注文番号・店舗・受付番号・名前）</source>
        <translation>Search (amount, date, order number, store, reference, name)</translation>
    </message>
    <message>
        <source>検索</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>金額 下限</source>
        <translation>Amount from</translation>
    </message>
    <message>
        <source>金額 上限</source>
        <translation>Amount to</translation>
    </message>
    <message>
        <source>日付 から (YYYY-MM-DD)</source>
        <translation>Date from (YYYY-MM-DD)</translation>
    </message>
    <message>
        <source>日付 まで</source>
        <translation>Date to</translation>
    </message>
    <message>
        <source>CSV に書き出す…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <source>JSON に書き出す…</source>
        <translation>Export JSON…</translation>
    </message>
    <message>
        <source>自動判定</source>
        <translation>Auto verdict</translation>
    </message>
    <message>
        <source>スタッフの判断</source>
        <translation>Staff decision</translation>
    </message>
    <message>
        <source>お名前</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>受信</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>確認コード</source>
        <translation>Fingerprint</translation>
    </message>
    <message>
        <source>画像から読み取り</source>
        <translation>Read from the image</translation>
    </message>
    <message>
        <source>購入場所</source>
        <translation>Route</translation>
    </message>
    <message>
        <source>申告金額</source>
        <translation>Declared amount</translation>
    </message>
    <message>
        <source>自動判定: すべて</source>
        <translation>Verdict: all</translation>
    </message>
    <message>
        <source>スタッフの判断: すべて</source>
        <translation>Decision: all</translation>
    </message>
    <message>
        <source>申告日</source>
        <translation>Declared date</translation>
    </message>
    <message>
        <source>ファイル</source>
        <translation>File</translation>
    </message>
    <message>
        <source>読み取り金額</source>
        <translation>Amount read</translation>
    </message>
    <message>
        <source>受信したバンドル</source>
        <translation>Bundles received</translation>
    </message>
    <message>
        <source>前のページ</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <source>次のページ</source>
        <translation>Next page</translation>
    </message>
    <message>
        <source>詳細</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>お客様のメッセージの確認コード:</source>
        <translation>Fingerprint in the customer&apos;s message:</translation>
    </message>
    <message>
        <source>例: 1TB5-NMZF-65S1（貼り付け）</source>
        <translation>e.g. 1TB5-NMZF-65S1 (paste)</translation>
    </message>
    <message>
        <source>お客様のメッセージの確認コード</source>
        <translation>Fingerprint in the customer&apos;s message</translation>
    </message>
    <message>
        <source>読み直す</source>
        <translation>Read again</translation>
    </message>
    <message>
        <source>担当者名</source>
        <translation>Staff name</translation>
    </message>
    <message>
        <source>メモ（判断の理由）</source>
        <translation>Note (reason for the decision)</translation>
    </message>
    <message>
        <source>メモ</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>承認 (Alt+A)</source>
        <translation>Approve (Alt+A)</translation>
    </message>
    <message>
        <source>却下 (Alt+R)</source>
        <translation>Reject (Alt+R)</translation>
    </message>
    <message>
        <source>追加資料を依頼 (Alt+M)</source>
        <translation>Ask for more (Alt+M)</translation>
    </message>
    <message>
        <source>次の未確認 (Alt+N)</source>
        <translation>Next unchecked (Alt+N)</translation>
    </message>
    <message>
        <source>{0} 件を確認しています…</source>
        <translation>Checking {0} bundles…</translation>
    </message>
    <message>
        <source>予期しない問題で確認できませんでした。</source>
        <translation>An unexpected problem stopped the check.</translation>
    </message>
    <message>
        <source>画像を読み込んでいます…</source>
        <translation>Loading the image…</translation>
    </message>
    <message>
        <source>この提出の画像は表示できません。</source>
        <translation>The image of this bundle cannot be shown.</translation>
    </message>
    <message>
        <source>開く</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>スタッフの判断の記録</source>
        <translation>Decision history</translation>
    </message>
    <message>
        <source>その時の自動判定</source>
        <translation>verdict then</translation>
    </message>
    <message>
        <source>あり</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>なし</source>
        <translation>no</translation>
    </message>
    <message>
        <source>店舗</source>
        <translation>Store</translation>
    </message>
    <message>
        <source>メールアドレス</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>受付番号</source>
        <translation>Reception number</translation>
    </message>
    <message>
        <source>メモに理由を書いてから、もう一度押してください。</source>
        <translation>Write the reason in the note, then press again.</translation>
    </message>
    <message>
        <source>判断の確認</source>
        <translation>Confirm the decision</translation>
    </message>
    <message>
        <source>{0} と記録しました。</source>
        <translation>Recorded: {0}.</translation>
    </message>
    <message>
        <source>{0} / {1} ページ</source>
        <translation>Page {0} of {1}</translation>
    </message>
    <message>
        <source>金額</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>購入日</source>
        <translation>Purchase date</translation>
    </message>
    <message>
        <source>ギフトカードの行</source>
        <translation>Gift-card line</translation>
    </message>
    <message>
        <source>注文番号</source>
        <translation>Order number</translation>
    </message>
    <message>
        <source>申告</source>
        <translation>Declared</translation>
    </message>
    <message>
        <source>お客様の修正</source>
        <translation>Corrected by the customer</translation>
    </message>
    <message>
        <source>作成</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>削除されたメタデータ</source>
        <translation>Metadata removed</translation>
    </message>
    <message>
        <source>警告を承知で使用</source>
        <translation>Used despite a warning</translation>
    </message>
    <message>
        <source>未入力: お客様のメッセージから貼り付けてください。</source>
        <translation>Not entered: paste it from the customer&apos;s message.</translation>
    </message>
    <message>
        <source>✓ バンドルの確認コードと一致しています。</source>
        <translation>✓ Matches the bundle&apos;s fingerprint.</translation>
    </message>
    <message>
        <source>✗ バンドルの確認コード（{0}）と違います。</source>
        <translation>✗ Differs from the bundle&apos;s fingerprint ({0}).</translation>
    </message>
    <message>
        <source>担当者名を入力してください。</source>
        <translation>Enter the staff name.</translation>
    </message>
    <message>
        <source>未確認のバンドルはありません。</source>
        <translation>No unchecked bundles.</translation>
    </message>
    <message>
        <source>読み直しています…</source>
        <translation>Reading again…</translation>
    </message>
    <message>
        <source>予期しない問題で読み直せませんでした。</source>
        <translation>An unexpected problem stopped the reading again.</translation>
    </message>
    <message>
        <source>読み直すと違う値があります。</source>
        <translation>Reading again gives other values.</translation>
    </message>
    <message>
        <source>読み直した値はバンドルと一致しました。</source>
        <translation>Reading again agrees with the bundle.</translation>
    </message>
    <message>
        <source>書き出せませんでした: {0}</source>
        <translation>Could not export: {0}</translation>
    </message>
    <message>
        <source>{0} 件を書き出しました。</source>
        <translation>Exported {0} bundles.</translation>
    </message>
</context>
<context>
    <name>RoutePage</name>
    <message>
        <source>Amazon の注文履歴は、どれで見られますか？</source>
        <translation>Where can you see your Amazon order history?</translation>
    </message>
    <message>
        <source>選んだ方に合わせて、領収書のページの出し方をご案内します。</source>
        <translation>The steps to show the receipt page follow your choice.</translation>
    </message>
    <message>
        <source>パソコン</source>
        <translation>Computer</translation>
    </message>
    <message>
        <source>このパソコンのブラウザで Amazon.co.jp にログインできます。</source>
        <translation>You can sign in to Amazon.co.jp in a browser on this computer.</translation>
    </message>
    <message>
        <source>スマートフォンだけ</source>
        <translation>Smartphone only</translation>
    </message>
    <message>
        <source>スマートフォンで領収書を表示して、スクリーンショットをこのパソコンに送ります。</source>
        <translation>Show the receipt on your phone and send a screenshot to this computer.</translation>
    </message>
    <message>
        <source>パソコンかスマートフォンかを選んでください。</source>
        <translation>Choose computer or smartphone.</translation>
    </message>
</context>
<context>
    <name>SheetEditor</name>
    <message>
        <source>オレンジの点をレシートの四隅に合わせてください。右が読み取る向きの仕上がりです。</source>
        <translation>Move the orange dots onto the four corners of the slip. On the right is the flattened slip that will be read.</translation>
    </message>
    <message>
        <source>レシートの四隅</source>
        <translation>The corners of the slip</translation>
    </message>
    <message>
        <source>平らにしたレシート</source>
        <translation>The flattened slip</translation>
    </message>
    <message>
        <source>四隅を自動で探し直す</source>
        <translation>Find the corners again automatically</translation>
    </message>
</context>
<context>
    <name>SummaryLines</name>
    <message>
        <source>戻って直す</source>
        <translation>Go back and fix</translation>
    </message>
    <message>
        <source>戻って直す: {0}</source>
        <translation>Go back and fix: {0}</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>保存する前に、ショップに伝わる内容を確かめてください</source>
        <translation>Before saving, check what the shop will see</translation>
    </message>
    <message>
        <source>送るファイルに入るもの</source>
        <translation>What goes into the file you send</translation>
    </message>
    <message>
        <source>はい、ギフトカードを買ったときのレシート（領収書）です。このまま送ります。</source>
        <translation>Yes, this is the receipt of the gift-card purchase. Send it as it is.</translation>
    </message>
    <message>
        <source>いいえ、画像を選び直す</source>
        <translation>No, choose other images</translation>
    </message>
    <message>
        <source>入力した内容と画像を、購入の証明としてショップに提出することに同意します。</source>
        <translation>I agree to submit these details and images to the shop as proof of purchase.</translation>
    </message>
    <message>
        <source>お知らせいただいた金額と購入日: {0:,} 円、{1}</source>
        <translation>The amount and date you gave the shop: ¥{0:,}, {1}</translation>
    </message>
    <message>
        <source>画像: {0}</source>
        <translation>Images: {0}</translation>
    </message>
    <message>
        <source>連絡先など: {0}</source>
        <translation>Contact details: {0}</translation>
    </message>
    <message>
        <source>写真の位置情報などの付加情報は、保存するときに取り除かれます。</source>
        <translation>Extra data such as where a photo was taken is removed when saving.</translation>
    </message>
    <message>
        <source>ギフトカードの行についての質問に答えてください。</source>
        <translation>Please answer the question about the gift-card line.</translation>
    </message>
    <message>
        <source>保存するには、提出への同意にチェックを入れてください。</source>
        <translation>To save, tick the box agreeing to submit.</translation>
    </message>
    <message>
        <source>保存へ進む</source>
        <translation>Go to saving</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>購入の証明を一緒に準備しましょう</source>
        <translation>Let&apos;s prepare your proof of purchase together</translation>
    </message>
    <message>
        <source>読み取りはすべてこのパソコンの中で行います。作ったファイルをお客様がショップに送るまで、何もインターネットに送られることはありません。</source>
        <translation>Everything is read on this computer. Nothing is sent over the internet until you send the file to the shop yourself.</translation>
    </message>
    <message>
        <source>前回の途中までの内容が保存されています。</source>
        <translation>What you did last time has been kept.</translation>
    </message>
    <message>
        <source>Amazon がギフトカードを無効にしたため、ショップが Amazon に説明するための購入の証明が必要になりました。このアシスタントが、順番にご案内します。</source>
        <translation>Amazon has deactivated the gift card, so the shop needs proof of purchase to explain to Amazon. This assistant guides you step by step.</translation>
    </message>
    <message>
        <source>続きから始める</source>
        <translation>Continue</translation>
    </message>
    <message>
        <source>最初から始める</source>
        <translation>Start over</translation>
    </message>
    <message>
        <source>レシートや領収書の画像を用意します</source>
        <translation>Get an image of the receipt or slip</translation>
    </message>
    <message>
        <source>日付・金額・ギフトカードの行を読み取って、一緒に確かめます</source>
        <translation>Read the date, amount and gift-card line, and check them together</translation>
    </message>
    <message>
        <source>ショップに送るファイルを 1 つ作ります</source>
        <translation>Make one file to send to the shop</translation>
    </message>
    <message>
        <source>ギフトカードはどこで買いましたか？</source>
        <translation>Where did you buy the gift card?</translation>
    </message>
    <message>
        <source>Amazon.co.jp で買った</source>
        <translation>On Amazon.co.jp</translation>
    </message>
    <message>
        <source>注文の領収書のページを画像にします（パソコンでもスマートフォンでも）。</source>
        <translation>Take a picture of the order&apos;s receipt page (on a computer or a phone).</translation>
    </message>
    <message>
        <source>お店で買った</source>
        <translation>In a shop</translation>
    </message>
    <message>
        <source>コンビニ・ドラッグストア・スーパーなどのレシートを写真に撮ります。</source>
        <translation>Photograph the slip from a convenience store, drugstore, supermarket or other shop.</translation>
    </message>
    <message>
        <source>ショップのスタッフの方: 提出を確認する</source>
        <translation>Shop staff: review submissions</translation>
    </message>
    <message>
        <source>上のどちらかを選んでください。</source>
        <translation>Choose one of the two above.</translation>
    </message>
</context>
<context>
    <name>Wizard</name>
    <message>
        <source>購入証明アシスタント</source>
        <translation>Proof-of-purchase assistant</translation>
    </message>
    <message>
        <source>手順</source>
        <translation>Steps</translation>
    </message>
    <message>
        <source>表示言語</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>戻る</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>次へ</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>はじめに</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <source>準備</source>
        <translation>Prepare</translation>
    </message>
    <message>
        <source>見る機器</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>画像</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>読み取り</source>
        <translation>Reading</translation>
    </message>
    <message>
        <source>確認</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>お客様情報</source>
        <translation>Your details</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>最終確認</source>
        <translation>Final check</translation>
    </message>
    <message>
        <source>読み取りや保存が終わると切り替えられます。</source>
        <translation>You can switch once reading or saving has finished.</translation>
    </message>
    <message>
        <source>読み取りを中止しました。画像はそのまま残っています。</source>
        <translation>Reading was cancelled. Your images are still here.</translation>
    </message>
    <message>
        <source>予期しない問題で読み取れませんでした。画像はそのまま残っています。もう一度「読み取る」を押してください。</source>
        <translation>The images could not be read because of an unexpected problem. Your images are still here. Press “Read” again.</translation>
    </message>
    <message>
        <source>購入証明</source>
        <translation>Proof of purchase</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>画像・PDF</source>
        <translation>Images and PDFs</translation>
    </message>
    <message>
        <source>すべてのファイル</source>
        <translation>All files</translation>
    </message>
    <message>
        <source>レシート・領収書の画像を選ぶ</source>
        <translation>Choose the receipt images</translation>
    </message>
    <message>
        <source>保存先のフォルダを選ぶ</source>
        <translation>Choose a folder to save in</translation>
    </message>
    <message>
        <source>書き出す</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>問題があります</source>
        <translation>There is a problem</translation>
    </message>
    <message>
        <source>フォルダ</source>
        <translation>Folder</translation>
    </message>
    <message>
        <source>ドライブ</source>
        <translation>Drive</translation>
    </message>
    <message>
        <source>ファイル</source>
        <translation>File</translation>
    </message>
    <message>
        <source>{0} ファイル</source>
        <translation>{0} file</translation>
    </message>
    <message>
        <source>フォルダ(&amp;F):</source>
        <translation>&amp;Folder:</translation>
    </message>
    <message>
        <source>選ぶ(&amp;C)</source>
        <translation>&amp;Choose</translation>
    </message>
    <message>
        <source>ファイル名(&amp;N):</source>
        <translation>File &amp;name:</translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>開く(&amp;O)</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <source>場所(&amp;L):</source>
        <translation>&amp;Look in:</translation>
    </message>
    <message>
        <source>ファイルの種類(&amp;T):</source>
        <translation>Files of &amp;type:</translation>
    </message>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
</TS>
