package assets

// LangSk translates LangEN (i18n_en.go) into Slovenčina.
const LangSk = `code=sk
name=Slovenčina
dir=ltr
challenge_title=Chvíľku, prosím
challenge_heading=Ste človek?
text_prompt=Ak chcete pokračovať, opíšte znaky z obrázka (počet znakov: {count}). Na veľkosti písmen nezáleží.
text_alt=Skreslené znaky, ktoré treba opísať do poľa nižšie
text_label=Znaky
button_continue=Pokračovať
oneclick_prompt=Vyberte obrázok s rovnakým motívom ako tento:
oneclick_reference_alt=Vzorový obrázok. Jeden z obrázkov nižšie (spolu {count}) má rovnaký motív.
multiclick_prompt=Vyberte všetky obrázky s rovnakým motívom ako tento a potom kliknite na Pokračovať.
multiclick_reference_alt=Vzorový obrázok. Niektoré z obrázkov nižšie (spolu {count}) majú rovnaký motív.
multiclick_legend=Obrázky s rovnakým motívom
candidate_alt=Obrázok {index} z {count}
audio_prompt=Vypočujte si nahrávku a zadajte číslice, ktoré počujete (počet číslic: {count}).
audio_hard_prompt=Vypočujte si aj nahrávku a zadajte číslice, ktoré počujete (počet číslic: {count}).
audio_label=Číslice
audio_unsupported=Váš prehliadač nedokáže prehrať túto nahrávku.
audio_alternative=Nevidíte obrázky? Použite zvukové overenie
visual_alternative=Nemôžete počúvať? Použite overenie pomocou obrázkov
error_wrong=To nebolo správne. Skúste to znova.
error_expired=Platnosť overenia vypršala. Tu je nové.
error_spent=Toto overenie už bolo použité. Tu je nové.
error_harder=Táto stránka vyžaduje náročnejšie overenie. Tu je.
error_bad_input=Vašu odpoveď sa nepodarilo prečítať. Skúste to znova.
footer_full=Chránené pomocou Captchaify, captchy prevádzkovanej na vlastnom serveri webu. Vašu návštevu nevidí žiadna tretia strana.
footer_short=Chránené pomocou Captchaify.
blocked_title=Prístup zablokovaný
blocked_heading=Prístup zablokovaný
blocked_sorry=Ľutujeme, túto stránku si teraz nemôžete zobraziť.
blocked_suspicious=Táto stránka neprijíma automatizované ani anonymné návštevy.
blocked_lockout=Príliš veľa nesprávnych odpovedí. Skúste to znova neskôr.
blocked_vpn=Ak používate VPN alebo proxy, môže pomôcť jeho vypnutie.
blocked_home=Späť na hlavnú stránku
ratelimited_title=Príliš veľa požiadaviek
ratelimited_heading=Dajte si šálku čaju
ratelimited_text=Za poslednú minútu ste odoslali príliš veľa požiadaviek. Počkajte {seconds} s a skúste to znova.
ratelimited_retry=Obnoviť stránku
language_link=Jazyk
language_title=Vyberte jazyk
language_heading=Vyberte jazyk
language_search_label=Hľadať jazyk
language_search_button=Hľadať
language_no_match=Vášmu hľadaniu nezodpovedá žiadny jazyk.
language_show_all=Zobraziť všetky jazyky
language_back=Späť bez zmeny jazyka
theme_link_dark=Tmavý režim
theme_link_light=Svetlý režim
`
