package assets

// LangJa translates LangEN (i18n_en.go) into 日本語.
const LangJa = `code=ja
name=日本語
dir=ltr
challenge_title=しばらくお待ちください
challenge_heading=人間であることの確認
text_prompt=続行するには、画像に表示されている {count} 文字を入力してください。大文字と小文字は区別されません。
text_alt=下の欄に入力する、ゆがめられた文字
text_label=文字
button_continue=続行
oneclick_prompt=この画像と同じものが描かれている画像を選択してください：
oneclick_reference_alt=見本の画像。下の {count} 枚の画像のうち 1 枚に同じものが描かれています。
multiclick_prompt=この画像と同じものが描かれている画像をすべて選択し、「続行」を押してください。
multiclick_reference_alt=見本の画像。下の {count} 枚の画像のうち何枚かに同じものが描かれています。
multiclick_legend=同じものが描かれている画像
candidate_alt={count} 枚中 {index} 枚目の画像
audio_prompt=録音を聞いて、聞こえた {count} 個の数字を入力してください。
audio_hard_prompt=さらに録音も聞いて、聞こえた {count} 個の数字を入力してください。
audio_label=数字
audio_unsupported=お使いのブラウザーではこの録音を再生できません。
audio_alternative=画像が見えない場合は、音声認証をご利用ください
visual_alternative=音声を聞けない場合は、画像認証をご利用ください
error_wrong=正しくありません。もう一度お試しください。
error_expired=認証の有効期限が切れていたため、新しい認証を表示しています。
error_spent=この認証はすでに使用されていたため、新しい認証を表示しています。
error_harder=このページでは、より難しい認証が必要です。以下の認証にお答えください。
error_bad_input=回答を読み取れませんでした。もう一度お試しください。
footer_full=Captchaify（セルフホスト型の CAPTCHA）によって保護されています。お客様のアクセスが第三者に知られることはありません。
footer_short=Captchaify によって保護されています。
blocked_title=アクセスがブロックされました
blocked_heading=アクセスがブロックされました
blocked_sorry=申し訳ありませんが、現在このページは表示できません。
blocked_suspicious=このページでは、自動化されたアクセスや匿名のアクセスを受け付けていません。
blocked_lockout=誤った回答が多すぎます。しばらくしてからもう一度お試しください。
blocked_vpn=VPN やプロキシをご利用の場合は、オフにすると解決することがあります。
blocked_home=トップページに戻る
ratelimited_title=リクエストが多すぎます
ratelimited_heading=お茶でも飲んでひと息つきましょう
ratelimited_text=直近 1 分間のリクエストが多すぎます。{seconds} 秒待ってから、もう一度お試しください。
ratelimited_retry=ページを再読み込み
language_link=言語
language_title=言語を選択
language_heading=言語を選択してください
language_search_label=言語を検索
language_search_button=検索
language_no_match=検索に一致する言語はありません。
language_show_all=すべての言語を表示
language_back=言語を変更せずに戻る
theme_link_dark=ダークテーマ
theme_link_light=ライトテーマ
`
