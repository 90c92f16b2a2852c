package assets

// LangSl translates LangEN (i18n_en.go) into Slovenščina.
const LangSl = `code=sl
name=Slovenščina
dir=ltr
challenge_title=Trenutek, prosim
challenge_heading=Ste človek?
text_prompt=Za nadaljevanje vnesite znake s slike (število znakov: {count}). Velike in male črke niso pomembne.
text_alt=Popačeni znaki, ki jih je treba vnesti v spodnje polje
text_label=Znaki
button_continue=Nadaljuj
oneclick_prompt=Izberite sliko z enakim motivom, kot ga ima ta:
oneclick_reference_alt=Vzorčna slika. Ena od slik spodaj (skupaj {count}) prikazuje enak motiv.
multiclick_prompt=Izberite vse slike z enakim motivom, kot ga ima ta, nato kliknite Nadaljuj.
multiclick_reference_alt=Vzorčna slika. Nekatere od slik spodaj (skupaj {count}) prikazujejo enak motiv.
multiclick_legend=Slike z enakim motivom
candidate_alt=Slika {index} od {count}
audio_prompt=Poslušajte posnetek in vnesite števke, ki jih slišite (število števk: {count}).
audio_hard_prompt=Poslušajte še posnetek in vnesite števke, ki jih slišite (število števk: {count}).
audio_label=Števke
audio_unsupported=Vaš brskalnik ne more predvajati tega posnetka.
audio_alternative=Ne vidite slik? Uporabite zvočno preverjanje
visual_alternative=Ne morete poslušati? Uporabite preverjanje s slikami
error_wrong=To ni bilo pravilno. Poskusite znova.
error_expired=To preverjanje je poteklo. Tu je novo.
error_spent=To preverjanje je bilo že uporabljeno. Tu je novo.
error_harder=Ta stran zahteva težje preverjanje. Tu je.
error_bad_input=Vašega odgovora ni bilo mogoče prebrati. Poskusite znova.
footer_full=Zaščito zagotavlja Captchaify, captcha na lastnem strežniku spletnega mesta. Nobena tretja oseba ne vidi vašega obiska.
footer_short=Zaščito zagotavlja Captchaify.
blocked_title=Dostop blokiran
blocked_heading=Dostop blokiran
blocked_sorry=Žal si te strani trenutno ne morete ogledati.
blocked_suspicious=Ta stran ne sprejema samodejnih ali anonimnih obiskov.
blocked_lockout=Preveč napačnih odgovorov. Poskusite znova pozneje.
blocked_vpn=Če uporabljate VPN ali posredniški strežnik, ga poskusite izklopiti.
blocked_home=Nazaj na glavno stran
ratelimited_title=Preveč zahtev
ratelimited_heading=Privoščite si skodelico čaja
ratelimited_text=V zadnji minuti ste poslali preveč zahtev. Počakajte {seconds} s in poskusite znova.
ratelimited_retry=Osveži stran
language_link=Jezik
language_title=Izberite jezik
language_heading=Izberite jezik
language_search_label=Iskanje jezika
language_search_button=Išči
language_no_match=Noben jezik se ne ujema z vašim iskanjem.
language_show_all=Pokaži vse jezike
language_back=Nazaj brez spremembe jezika
theme_link_dark=Temna tema
theme_link_light=Svetla tema
`
