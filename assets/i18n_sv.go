package assets

// LangSv translates LangEN (i18n_en.go) into Svenska.
const LangSv = `code=sv
name=Svenska
dir=ltr
challenge_title=Ett ögonblick
challenge_heading=Är du en människa?
text_prompt=Skriv de {count} tecken du ser på bilden för att fortsätta. Det spelar ingen roll om du använder stora eller små bokstäver.
text_alt=Förvrängda tecken att skriva i fältet nedan
text_label=Tecken
button_continue=Fortsätt
oneclick_prompt=Välj bilden som visar samma motiv som den här:
oneclick_reference_alt=Referensbilden. En av de {count} bilderna nedan visar samma motiv.
multiclick_prompt=Välj alla bilder som visar samma motiv som den här och tryck sedan på Fortsätt.
multiclick_reference_alt=Referensbilden. Några av de {count} bilderna nedan visar samma motiv.
multiclick_legend=Bilder med samma motiv
candidate_alt=Bild {index} av {count}
audio_prompt=Lyssna på inspelningen och skriv de {count} siffror du hör.
audio_hard_prompt=Lyssna också på inspelningen och skriv de {count} siffror du hör.
audio_label=Siffror
audio_unsupported=Din webbläsare kan inte spela upp den här inspelningen.
audio_alternative=Kan du inte se bilderna? Använd en ljudkontroll
visual_alternative=Kan du inte lyssna? Använd en bildkontroll
error_wrong=Det var inte rätt. Försök igen.
error_expired=Kontrollen hade gått ut. Här är en ny.
error_spent=Kontrollen hade redan använts. Här är en ny.
error_harder=Den här sidan kräver en svårare kontroll. Här är den.
error_bad_input=Ditt svar kunde inte läsas. Försök igen.
footer_full=Skyddas av Captchaify, en egenhostad captcha. Ingen tredje part ser ditt besök.
footer_short=Skyddas av Captchaify.
blocked_title=Åtkomst blockerad
blocked_heading=Åtkomst blockerad
blocked_sorry=Tyvärr kan du inte se den här sidan just nu.
blocked_suspicious=Den här sidan tar inte emot automatiserade eller anonyma besök.
blocked_lockout=För många felaktiga svar. Försök igen senare.
blocked_vpn=Om du använder VPN eller proxy kan det hjälpa att stänga av den.
blocked_home=Tillbaka till startsidan
ratelimited_title=För många förfrågningar
ratelimited_heading=Ta en kopp te
ratelimited_text=Du har skickat för många förfrågningar den senaste minuten. Vänta {seconds} s och försök sedan igen.
ratelimited_retry=Uppdatera sidan
language_link=Språk
language_title=Välj språk
language_heading=Välj språk
language_search_label=Sök efter ett språk
language_search_button=Sök
language_no_match=Inget språk matchar din sökning.
language_show_all=Visa alla språk
language_back=Tillbaka utan att byta språk
theme_link_dark=Mörkt tema
theme_link_light=Ljust tema
`
