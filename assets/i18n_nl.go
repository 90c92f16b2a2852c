package assets

// LangNl translates LangEN (i18n_en.go) into Nederlands.
const LangNl = `code=nl
name=Nederlands
dir=ltr
challenge_title=Een ogenblik geduld
challenge_heading=Bent u een mens?
text_prompt=Typ de {count} tekens die u in de afbeelding ziet om verder te gaan. Het maakt niet uit of u hoofdletters of kleine letters gebruikt.
text_alt=Vervormde tekens om in het veld hieronder te typen
text_label=Tekens
button_continue=Doorgaan
oneclick_prompt=Kies de afbeelding met hetzelfde motief als deze:
oneclick_reference_alt=De voorbeeldafbeelding. Een van de {count} afbeeldingen hieronder toont hetzelfde motief.
multiclick_prompt=Kies alle afbeeldingen met hetzelfde motief als deze en klik daarna op Doorgaan.
multiclick_reference_alt=De voorbeeldafbeelding. Enkele van de {count} afbeeldingen hieronder tonen hetzelfde motief.
multiclick_legend=Afbeeldingen met hetzelfde motief
candidate_alt=Afbeelding {index} van {count}
audio_prompt=Luister naar de opname en typ de {count} cijfers die u hoort.
audio_hard_prompt=Luister ook naar de opname en typ de {count} cijfers die u hoort.
audio_label=Cijfers
audio_unsupported=Uw browser kan deze opname niet afspelen.
audio_alternative=Kunt u de afbeeldingen niet zien? Gebruik een audiocontrole
visual_alternative=Kunt u niet luisteren? Gebruik een controle met afbeeldingen
error_wrong=Dat was niet goed. Probeer het opnieuw.
error_expired=Die controle was verlopen. Hier is een nieuwe.
error_spent=Die controle was al gebruikt. Hier is een nieuwe.
error_harder=Deze pagina vereist een moeilijkere controle. U ziet die hieronder.
error_bad_input=Uw antwoord kon niet worden gelezen. Probeer het opnieuw.
footer_full=Beveiligd door Captchaify, een zelf gehoste captcha. Geen enkele derde partij ziet uw bezoek.
footer_short=Beveiligd door Captchaify.
blocked_title=Toegang geblokkeerd
blocked_heading=Toegang geblokkeerd
blocked_sorry=Helaas kunt u deze pagina op dit moment niet bekijken.
blocked_suspicious=Deze pagina accepteert geen geautomatiseerde of anonieme bezoeken.
blocked_lockout=Te veel foute antwoorden. Probeer het later opnieuw.
blocked_vpn=Gebruikt u een VPN of proxy? Dan kan het helpen die uit te schakelen.
blocked_home=Terug naar de startpagina
ratelimited_title=Te veel verzoeken
ratelimited_heading=Neem even een kopje thee
ratelimited_text=U hebt in de afgelopen minuut te veel verzoeken verstuurd. Wacht {seconds} sec. en probeer het dan opnieuw.
ratelimited_retry=Pagina vernieuwen
language_link=Taal
language_title=Kies uw taal
language_heading=Kies uw taal
language_search_label=Zoek een taal
language_search_button=Zoeken
language_no_match=Geen enkele taal komt overeen met uw zoekopdracht.
language_show_all=Alle talen tonen
language_back=Terug zonder de taal te wijzigen
theme_link_dark=Donker thema
theme_link_light=Licht thema
`
