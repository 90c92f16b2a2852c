package assets

// LangZhHans translates LangEN (i18n_en.go) into 简体中文.
const LangZhHans = `code=zh-Hans
name=简体中文
dir=ltr
challenge_title=请稍候
challenge_heading=您是真人吗？
text_prompt=请输入图片中显示的 {count} 个字符以继续。不区分大小写。
text_alt=需要输入到下方输入框中的变形字符
text_label=字符
button_continue=继续
oneclick_prompt=请选择与这张图片内容相同的图片：
oneclick_reference_alt=参考图片。下方 {count} 张图片中有一张与其内容相同。
multiclick_prompt=请选择所有与这张图片内容相同的图片，然后点击“继续”。
multiclick_reference_alt=参考图片。下方 {count} 张图片中有几张与其内容相同。
multiclick_legend=内容相同的图片
candidate_alt=第 {index} 张图片，共 {count} 张
audio_prompt=请收听录音，并输入您听到的 {count} 个数字。
audio_hard_prompt=另外，请收听录音，并输入您听到的 {count} 个数字。
audio_label=数字
audio_unsupported=您的浏览器无法播放此录音。
audio_alternative=无法查看图片？改用音频验证
visual_alternative=无法收听？改用图片验证
error_wrong=答案不正确，请重试。
error_expired=该验证已过期，这是一个新的验证。
error_spent=该验证已被使用，这是一个新的验证。
error_harder=此页面需要更难的验证，请完成以下验证。
error_bad_input=无法读取您的答案，请重试。
footer_full=由 Captchaify 提供保护，这是一款自托管的验证码。任何第三方都无法看到您的访问。
footer_short=由 Captchaify 提供保护。
blocked_title=访问被阻止
blocked_heading=访问被阻止
blocked_sorry=抱歉，您目前无法查看此页面。
blocked_suspicious=此页面不接受自动化访问或匿名访问。
blocked_lockout=错误答案次数过多，请稍后再试。
blocked_vpn=如果您正在使用 VPN 或代理，关闭后可能会有帮助。
blocked_home=返回首页
ratelimited_title=请求过多
ratelimited_heading=先喝杯茶休息一下吧
ratelimited_text=您在过去一分钟内发送的请求过多。请等待 {seconds} 秒后重试。
ratelimited_retry=刷新页面
language_link=语言
language_title=选择语言
language_heading=选择您的语言
language_search_label=搜索语言
language_search_button=搜索
language_no_match=没有与您的搜索相匹配的语言。
language_show_all=显示所有语言
language_back=返回，不更改语言
theme_link_dark=深色主题
theme_link_light=浅色主题
`
