package assets

// LangDe translates LangEN (i18n_en.go) into Deutsch.
const LangDe = `code=de
name=Deutsch
dir=ltr
challenge_title=Einen Moment, bitte
challenge_heading=Sind Sie ein Mensch?
text_prompt=Geben Sie die {count} Zeichen aus dem Bild ein, um fortzufahren. Groß- und Kleinschreibung spielt keine Rolle.
text_alt=Verzerrte Zeichen zur Eingabe in das Feld unten
text_label=Zeichen
button_continue=Weiter
oneclick_prompt=Wählen Sie das Bild, das dasselbe Motiv zeigt wie dieses:
oneclick_reference_alt=Das Vergleichsbild. Eines der {count} Bilder unten zeigt dasselbe Motiv.
multiclick_prompt=Wählen Sie alle Bilder, die dasselbe Motiv zeigen wie dieses, und klicken Sie dann auf „Weiter“.
multiclick_reference_alt=Das Vergleichsbild. Einige der {count} Bilder unten zeigen dasselbe Motiv.
multiclick_legend=Bilder mit demselben Motiv
candidate_alt=Bild {index} von {count}
audio_prompt=Hören Sie sich die Aufnahme an und geben Sie die {count} Ziffern ein, die Sie hören.
audio_hard_prompt=Hören Sie sich außerdem die Aufnahme an und geben Sie die {count} Ziffern ein, die Sie hören.
audio_label=Ziffern
audio_unsupported=Ihr Browser kann diese Aufnahme nicht abspielen.
audio_alternative=Sie können die Bilder nicht sehen? Nutzen Sie eine Audioaufgabe
visual_alternative=Sie können nichts hören? Nutzen Sie eine Bildaufgabe
error_wrong=Das war leider nicht richtig. Bitte versuchen Sie es erneut.
error_expired=Diese Aufgabe war abgelaufen. Hier ist eine neue.
error_spent=Diese Aufgabe wurde bereits verwendet. Hier ist eine neue.
error_harder=Diese Seite erfordert eine schwierigere Aufgabe. Hier ist sie.
error_bad_input=Ihre Antwort konnte nicht gelesen werden. Bitte versuchen Sie es erneut.
footer_full=Geschützt durch Captchaify, ein selbst gehostetes Captcha. Kein Drittanbieter sieht Ihren Besuch.
footer_short=Geschützt durch Captchaify.
blocked_title=Zugriff gesperrt
blocked_heading=Zugriff gesperrt
blocked_sorry=Diese Seite ist für Sie im Moment leider nicht verfügbar.
blocked_suspicious=Diese Seite akzeptiert keine automatisierten oder anonymen Besuche.
blocked_lockout=Zu viele falsche Antworten. Bitte versuchen Sie es später erneut.
blocked_vpn=Wenn Sie ein VPN oder einen Proxy nutzen, kann es helfen, diesen auszuschalten.
blocked_home=Zurück zur Startseite
ratelimited_title=Zu viele Anfragen
ratelimited_heading=Zeit für eine Tasse Tee
ratelimited_text=Sie haben in der letzten Minute zu viele Anfragen gesendet. Bitte warten Sie {seconds} Sek. und versuchen Sie es dann erneut.
ratelimited_retry=Seite neu laden
language_link=Sprache
language_title=Wählen Sie Ihre Sprache
language_heading=Wählen Sie Ihre Sprache
language_search_label=Nach einer Sprache suchen
language_search_button=Suchen
language_no_match=Keine Sprache passt zu Ihrer Suche.
language_show_all=Alle Sprachen anzeigen
language_back=Zurück, ohne die Sprache zu ändern
theme_link_dark=Dunkles Design
theme_link_light=Helles Design
`
