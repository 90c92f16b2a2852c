package assets

// LangHu translates LangEN (i18n_en.go) into Magyar.
const LangHu = `code=hu
name=Magyar
dir=ltr
challenge_title=Egy pillanat türelmét kérjük
challenge_heading=Ön valódi ember?
text_prompt=A folytatáshoz írja be a képen látható {count} karaktert. A kis- és nagybetűk között nincs különbség.
text_alt=Torzított karakterek, amelyeket az alábbi mezőbe kell beírni
text_label=Karakterek
button_continue=Tovább
oneclick_prompt=Válassza ki azt a képet, amely ugyanazt a motívumot ábrázolja, mint ez:
oneclick_reference_alt=A mintakép. Az alábbi {count} kép közül az egyik ugyanazt a motívumot ábrázolja.
multiclick_prompt=Jelölje ki az összes képet, amely ugyanazt a motívumot ábrázolja, mint ez, majd kattintson a Tovább gombra.
multiclick_reference_alt=A mintakép. Az alábbi {count} kép közül néhány ugyanazt a motívumot ábrázolja.
multiclick_legend=Azonos motívumot ábrázoló képek
candidate_alt={index}. kép (összesen {count})
audio_prompt=Hallgassa meg a felvételt, és írja be a hallott {count} számjegyet.
audio_hard_prompt=Hallgassa meg a felvételt is, és írja be a hallott {count} számjegyet.
audio_label=Számjegyek
audio_unsupported=A böngészője nem tudja lejátszani ezt a felvételt.
audio_alternative=Nem látja a képeket? Válassza a hangalapú ellenőrzést
visual_alternative=Nem tudja meghallgatni? Válassza a képes ellenőrzést
error_wrong=Ez nem volt helyes. Kérjük, próbálja újra.
error_expired=Ez az ellenőrzés lejárt. Íme egy új.
error_spent=Ezt az ellenőrzést már felhasználták. Íme egy új.
error_harder=Ez az oldal nehezebb ellenőrzést igényel. Íme.
error_bad_input=A válaszát nem sikerült beolvasni. Kérjük, próbálja újra.
footer_full=A védelmet a Captchaify, egy a webhely saját szerverén futó captcha biztosítja. Harmadik fél nem látja a látogatását.
footer_short=A védelmet a Captchaify biztosítja.
blocked_title=Hozzáférés letiltva
blocked_heading=Hozzáférés letiltva
blocked_sorry=Sajnáljuk, ezt az oldalt most nem tekintheti meg.
blocked_suspicious=Ez az oldal nem fogad automatizált vagy névtelen látogatásokat.
blocked_lockout=Túl sok hibás válasz. Kérjük, próbálja újra később.
blocked_vpn=Ha VPN-t vagy proxyt használ, segíthet, ha kikapcsolja.
blocked_home=Vissza a főoldalra
ratelimited_title=Túl sok kérés
ratelimited_heading=Igyon meg egy csésze teát
ratelimited_text=Az elmúlt percben túl sok kérést küldött. Kérjük, várjon {seconds} másodpercet, majd próbálja újra.
ratelimited_retry=Oldal frissítése
language_link=Nyelv
language_title=Válasszon nyelvet
language_heading=Válasszon nyelvet
language_search_label=Nyelv keresése
language_search_button=Keresés
language_no_match=Egyetlen nyelv sem felel meg a keresésnek.
language_show_all=Az összes nyelv megjelenítése
language_back=Vissza a nyelv módosítása nélkül
theme_link_dark=Sötét téma
theme_link_light=Világos téma
`
