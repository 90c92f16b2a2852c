package assets

// LangZhHant translates LangEN (i18n_en.go) into 繁體中文.
const LangZhHant = `code=zh-Hant
name=繁體中文
dir=ltr
challenge_title=請稍候
challenge_heading=您是真人嗎？
text_prompt=請輸入圖片中顯示的 {count} 個字元以繼續。不區分大小寫。
text_alt=需要輸入到下方欄位中的變形字元
text_label=字元
button_continue=繼續
oneclick_prompt=請選擇與這張圖片內容相同的圖片：
oneclick_reference_alt=參考圖片。下方 {count} 張圖片中有一張與其內容相同。
multiclick_prompt=請選擇所有與這張圖片內容相同的圖片，然後按「繼續」。
multiclick_reference_alt=參考圖片。下方 {count} 張圖片中有幾張與其內容相同。
multiclick_legend=內容相同的圖片
candidate_alt=第 {index} 張圖片，共 {count} 張
audio_prompt=請聆聽錄音，並輸入您聽到的 {count} 個數字。
audio_hard_prompt=另外，請聆聽錄音，並輸入您聽到的 {count} 個數字。
audio_label=數字
audio_unsupported=您的瀏覽器無法播放這段錄音。
audio_alternative=無法查看圖片？改用語音驗證
visual_alternative=無法聆聽？改用圖片驗證
error_wrong=答案不正確，請再試一次。
error_expired=該驗證已過期，這是新的驗證。
error_spent=該驗證已使用過，這是新的驗證。
error_harder=此頁面需要更難的驗證，請完成以下驗證。
error_bad_input=無法讀取您的答案，請再試一次。
footer_full=由 Captchaify 提供保護，這是自行託管的驗證碼服務。任何第三方都無法看到您的造訪。
footer_short=由 Captchaify 提供保護。
blocked_title=存取遭到封鎖
blocked_heading=存取遭到封鎖
blocked_sorry=很抱歉，您目前無法檢視此頁面。
blocked_suspicious=此頁面不接受自動化或匿名造訪。
blocked_lockout=錯誤答案次數過多，請稍後再試。
blocked_vpn=如果您正在使用 VPN 或代理伺服器，將其關閉或許會有幫助。
blocked_home=返回首頁
ratelimited_title=要求次數過多
ratelimited_heading=先喝杯茶休息一下吧
ratelimited_text=您在過去一分鐘內傳送了過多要求。請等待 {seconds} 秒後再試一次。
ratelimited_retry=重新整理頁面
language_link=語言
language_title=選擇語言
language_heading=選擇您的語言
language_search_label=搜尋語言
language_search_button=搜尋
language_no_match=沒有符合搜尋條件的語言。
language_show_all=顯示所有語言
language_back=返回，不變更語言
theme_link_dark=深色主題
theme_link_light=淺色主題
`
