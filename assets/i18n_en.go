package assets

// LangEN is the source of every string the pages show. Each other language
// file translates the same keys; a key missing there falls back to this one.
// Format: one "key=value" per line. Placeholders in braces ({count},
// {seconds}, {index}) are filled in by the plugin; keep them in translations.
// Values are plain text: the templates escape them.
const LangEN = `code=en
name=English
dir=ltr
challenge_title=One moment, please
challenge_heading=Are you a person?
text_prompt=Type the {count} characters you see in the picture to continue. Upper or lower case does not matter.
text_alt=Distorted characters to type into the field below
text_label=Characters
button_continue=Continue
oneclick_prompt=Select the picture that shows the same motif as this one:
oneclick_reference_alt=The reference picture. One of the {count} pictures below shows the same motif.
multiclick_prompt=Select every picture that shows the same motif as this one, then press Continue.
multiclick_reference_alt=The reference picture. Some of the {count} pictures below show the same motif.
multiclick_legend=Pictures with the same motif
candidate_alt=Picture {index} of {count}
audio_prompt=Listen to the recording and type the {count} digits you hear.
audio_hard_prompt=Also listen to the recording and type the {count} digits you hear.
audio_label=Digits
audio_unsupported=Your browser cannot play this recording.
audio_alternative=Cannot see the pictures? Use an audio challenge
visual_alternative=Cannot listen? Use a picture challenge
error_wrong=That was not right, please try again.
error_expired=That challenge had expired. Here is a new one.
error_spent=That challenge was already used. Here is a new one.
error_harder=This page needs a harder challenge. Here it is.
error_bad_input=Your answer could not be read. Please try again.
footer_full=Protected by Captchaify, a self-hosted captcha. No third party sees your visit.
footer_short=Protected by Captchaify.
blocked_title=Access blocked
blocked_heading=Access blocked
blocked_sorry=Sorry, you cannot see this page right now.
blocked_suspicious=This page does not accept automated or anonymous visits.
blocked_lockout=Too many wrong answers. Please try again later.
blocked_vpn=If you use a VPN or proxy, turning it off may help.
blocked_home=Back to the main page
ratelimited_title=Too many requests
ratelimited_heading=Have a cup of tea
ratelimited_text=You sent too many requests in the last minute. Please wait {seconds} seconds, then try again.
ratelimited_retry=Refresh the page
language_link=Language
language_title=Choose your language
language_heading=Choose your language
language_search_label=Search for a language
language_search_button=Search
language_no_match=No language matches your search.
language_show_all=Show all languages
language_back=Back without changing the language
theme_link_dark=Dark theme
theme_link_light=Light theme
`
