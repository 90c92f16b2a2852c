package assets

// LangEt translates LangEN (i18n_en.go) into Eesti.
const LangEt = `code=et
name=Eesti
dir=ltr
challenge_title=Üks hetk, palun
challenge_heading=Kas olete inimene?
text_prompt=Jätkamiseks sisestage pildil olevad märgid (kokku {count}). Suur- ja väiketähtedel pole vahet.
text_alt=Moonutatud märgid, mis tuleb sisestada allolevasse välja
text_label=Märgid
button_continue=Jätka
oneclick_prompt=Valige pilt, millel on sama motiiv kui sellel:
oneclick_reference_alt=Näidispilt. Üks allolevatest piltidest (kokku {count}) kujutab sama motiivi.
multiclick_prompt=Valige kõik pildid, millel on sama motiiv kui sellel, ja vajutage seejärel „Jätka“.
multiclick_reference_alt=Näidispilt. Mõned allolevatest piltidest (kokku {count}) kujutavad sama motiivi.
multiclick_legend=Sama motiiviga pildid
candidate_alt=Pilt {index}/{count}
audio_prompt=Kuulake salvestist ja sisestage kuuldud numbrid (kokku {count}).
audio_hard_prompt=Kuulake ka salvestist ja sisestage kuuldud numbrid (kokku {count}).
audio_label=Numbrid
audio_unsupported=Teie brauser ei saa seda salvestist esitada.
audio_alternative=Ei näe pilte? Kasutage heliülesannet
visual_alternative=Ei saa kuulata? Kasutage pildiülesannet
error_wrong=See polnud õige. Palun proovige uuesti.
error_expired=See ülesanne oli aegunud. Siin on uus.
error_spent=Seda ülesannet oli juba kasutatud. Siin on uus.
error_harder=See leht nõuab raskemat ülesannet. Siin see on.
error_bad_input=Teie vastust ei õnnestunud lugeda. Palun proovige uuesti.
footer_full=Kaitset pakub Captchaify, ise majutatud captcha. Ükski kolmas osapool teie külastust ei näe.
footer_short=Kaitset pakub Captchaify.
blocked_title=Juurdepääs blokeeritud
blocked_heading=Juurdepääs blokeeritud
blocked_sorry=Vabandust, te ei saa seda lehte praegu vaadata.
blocked_suspicious=See leht ei luba automatiseeritud ega anonüümseid külastusi.
blocked_lockout=Liiga palju valesid vastuseid. Palun proovige hiljem uuesti.
blocked_vpn=Kui kasutate VPN-i või puhverserverit, võib selle väljalülitamine aidata.
blocked_home=Tagasi avalehele
ratelimited_title=Liiga palju päringuid
ratelimited_heading=Tehke väike teepaus
ratelimited_text=Saatsite viimase minuti jooksul liiga palju päringuid. Palun oodake {seconds} s ja proovige siis uuesti.
ratelimited_retry=Värskenda lehte
language_link=Keel
language_title=Valige keel
language_heading=Valige keel
language_search_label=Otsi keelt
language_search_button=Otsi
language_no_match=Teie otsingule ei vasta ükski keel.
language_show_all=Näita kõiki keeli
language_back=Tagasi keelt muutmata
theme_link_dark=Tume teema
theme_link_light=Hele teema
`
