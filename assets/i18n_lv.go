package assets

// LangLv translates LangEN (i18n_en.go) into Latviešu.
const LangLv = `code=lv
name=Latviešu
dir=ltr
challenge_title=Lūdzu, uzgaidiet mirkli
challenge_heading=Vai esat cilvēks?
text_prompt=Lai turpinātu, ievadiet attēlā redzamās rakstzīmes (kopā: {count}). Lielajiem un mazajiem burtiem nav nozīmes.
text_alt=Izkropļotas rakstzīmes, kas jāievada zemāk esošajā laukā
text_label=Rakstzīmes
button_continue=Turpināt
oneclick_prompt=Izvēlieties attēlu, kurā redzams tas pats motīvs, kas šajā:
oneclick_reference_alt=Paraugattēls. Vienā no zemāk esošajiem attēliem (kopā: {count}) redzams tas pats motīvs.
multiclick_prompt=Izvēlieties visus attēlus, kuros redzams tas pats motīvs, kas šajā, un pēc tam nospiediet „Turpināt”.
multiclick_reference_alt=Paraugattēls. Dažos no zemāk esošajiem attēliem (kopā: {count}) redzams tas pats motīvs.
multiclick_legend=Attēli ar to pašu motīvu
candidate_alt=Attēls {index} no {count}
audio_prompt=Noklausieties ierakstu un ievadiet dzirdētos ciparus (kopā: {count}).
audio_hard_prompt=Noklausieties arī ierakstu un ievadiet dzirdētos ciparus (kopā: {count}).
audio_label=Cipari
audio_unsupported=Jūsu pārlūkprogramma nevar atskaņot šo ierakstu.
audio_alternative=Neredzat attēlus? Izmantojiet audio uzdevumu
visual_alternative=Nevarat klausīties? Izmantojiet attēlu uzdevumu
error_wrong=Tas nebija pareizi. Lūdzu, mēģiniet vēlreiz.
error_expired=Šī uzdevuma derīgums bija beidzies. Lūk, jauns uzdevums.
error_spent=Šis uzdevums jau bija izmantots. Lūk, jauns uzdevums.
error_harder=Šai lapai nepieciešams grūtāks uzdevums. Lūk, tas.
error_bad_input=Jūsu atbildi neizdevās nolasīt. Lūdzu, mēģiniet vēlreiz.
footer_full=Aizsardzību nodrošina Captchaify – paša mitināts CAPTCHA risinājums. Neviena trešā puse neredz jūsu apmeklējumu.
footer_short=Aizsardzību nodrošina Captchaify.
blocked_title=Piekļuve liegta
blocked_heading=Piekļuve liegta
blocked_sorry=Diemžēl pašlaik jūs nevarat skatīt šo lapu.
blocked_suspicious=Šī lapa nepieņem automatizētus vai anonīmus apmeklējumus.
blocked_lockout=Pārāk daudz nepareizu atbilžu. Lūdzu, mēģiniet vēlreiz vēlāk.
blocked_vpn=Ja izmantojat VPN vai starpniekserveri, tā izslēgšana var palīdzēt.
blocked_home=Atpakaļ uz sākumlapu
ratelimited_title=Pārāk daudz pieprasījumu
ratelimited_heading=Iedzeriet tasi tējas
ratelimited_text=Pēdējās minūtes laikā nosūtījāt pārāk daudz pieprasījumu. Lūdzu, uzgaidiet {seconds} s un tad mēģiniet vēlreiz.
ratelimited_retry=Atsvaidzināt lapu
language_link=Valoda
language_title=Izvēlieties valodu
language_heading=Izvēlieties valodu
language_search_label=Meklēt valodu
language_search_button=Meklēt
language_no_match=Jūsu meklēšanai neatbilst neviena valoda.
language_show_all=Rādīt visas valodas
language_back=Atpakaļ, nemainot valodu
theme_link_dark=Tumšais režīms
theme_link_light=Gaišais režīms
`
