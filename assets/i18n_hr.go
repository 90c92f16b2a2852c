package assets

// LangHr translates LangEN (i18n_en.go) into Hrvatski.
const LangHr = `code=hr
name=Hrvatski
dir=ltr
challenge_title=Samo trenutak
challenge_heading=Jeste li čovjek?
text_prompt=Za nastavak upišite znakove sa slike (broj znakova: {count}). Velika i mala slova nisu važna.
text_alt=Izobličeni znakovi koje treba upisati u polje ispod
text_label=Znakovi
button_continue=Nastavi
oneclick_prompt=Odaberite sliku s istim motivom kao ova:
oneclick_reference_alt=Referentna slika. Jedna od slika ispod (ukupno {count}) prikazuje isti motiv.
multiclick_prompt=Odaberite sve slike s istim motivom kao ova, a zatim pritisnite Nastavi.
multiclick_reference_alt=Referentna slika. Neke od slika ispod (ukupno {count}) prikazuju isti motiv.
multiclick_legend=Slike s istim motivom
candidate_alt=Slika {index} od {count}
audio_prompt=Poslušajte snimku i upišite znamenke koje čujete (broj znamenki: {count}).
audio_hard_prompt=Poslušajte i snimku te upišite znamenke koje čujete (broj znamenki: {count}).
audio_label=Znamenke
audio_unsupported=Vaš preglednik ne može reproducirati ovu snimku.
audio_alternative=Ne vidite slike? Upotrijebite zvučnu provjeru
visual_alternative=Ne možete slušati? Upotrijebite provjeru sa slikama
error_wrong=To nije bilo točno. Pokušajte ponovno.
error_expired=Ta je provjera istekla. Evo nove.
error_spent=Ta je provjera već iskorištena. Evo nove.
error_harder=Ova stranica zahtijeva težu provjeru. Evo je.
error_bad_input=Vaš odgovor nije moguće pročitati. Pokušajte ponovno.
footer_full=Zaštitu pruža Captchaify, captcha na vlastitom poslužitelju web-mjesta. Nijedna treća strana ne vidi vaš posjet.
footer_short=Zaštitu pruža Captchaify.
blocked_title=Pristup blokiran
blocked_heading=Pristup blokiran
blocked_sorry=Nažalost, ovu stranicu trenutačno ne možete vidjeti.
blocked_suspicious=Ova stranica ne prihvaća automatizirane ni anonimne posjete.
blocked_lockout=Previše netočnih odgovora. Pokušajte ponovno kasnije.
blocked_vpn=Ako upotrebljavate VPN ili proxy, moglo bi pomoći da ga isključite.
blocked_home=Natrag na početnu stranicu
ratelimited_title=Previše zahtjeva
ratelimited_heading=Popijte šalicu čaja
ratelimited_text=U posljednjoj minuti poslali ste previše zahtjeva. Pričekajte {seconds} s, a zatim pokušajte ponovno.
ratelimited_retry=Osvježi stranicu
language_link=Jezik
language_title=Odaberite jezik
language_heading=Odaberite jezik
language_search_label=Potražite jezik
language_search_button=Traži
language_no_match=Nijedan jezik ne odgovara vašem pretraživanju.
language_show_all=Prikaži sve jezike
language_back=Natrag bez promjene jezika
theme_link_dark=Tamna tema
theme_link_light=Svijetla tema
`
