package assets

// LangFr translates LangEN (i18n_en.go) into Français.
const LangFr = `code=fr
name=Français
dir=ltr
challenge_title=Un instant, s'il vous plaît
challenge_heading=Êtes-vous un être humain ?
text_prompt=Pour continuer, saisissez les {count} caractères que vous voyez sur l'image. Les majuscules et les minuscules ne sont pas distinguées.
text_alt=Caractères déformés à saisir dans le champ ci-dessous
text_label=Caractères
button_continue=Continuer
oneclick_prompt=Sélectionnez l'image qui représente le même motif que celle-ci :
oneclick_reference_alt=L'image de référence. L'une des {count} images ci-dessous représente le même motif.
multiclick_prompt=Sélectionnez toutes les images qui représentent le même motif que celle-ci, puis cliquez sur « Continuer ».
multiclick_reference_alt=L'image de référence. Certaines des {count} images ci-dessous représentent le même motif.
multiclick_legend=Images représentant le même motif
candidate_alt=Image {index} sur {count}
audio_prompt=Écoutez l'enregistrement et saisissez les {count} chiffres que vous entendez.
audio_hard_prompt=Écoutez également l'enregistrement et saisissez les {count} chiffres que vous entendez.
audio_label=Chiffres
audio_unsupported=Votre navigateur ne peut pas lire cet enregistrement.
audio_alternative=Vous ne voyez pas les images ? Utilisez un test audio
visual_alternative=Vous ne pouvez pas écouter ? Utilisez un test en images
error_wrong=Ce n'est pas la bonne réponse. Veuillez réessayer.
error_expired=Ce test avait expiré. En voici un nouveau.
error_spent=Ce test a déjà été utilisé. En voici un nouveau.
error_harder=Cette page nécessite un test plus difficile. Le voici.
error_bad_input=Votre réponse n'a pas pu être lue. Veuillez réessayer.
footer_full=Protégé par Captchaify, un captcha auto-hébergé. Aucun tiers n'a connaissance de votre visite.
footer_short=Protégé par Captchaify.
blocked_title=Accès bloqué
blocked_heading=Accès bloqué
blocked_sorry=Désolé, vous ne pouvez pas consulter cette page pour le moment.
blocked_suspicious=Cette page n'accepte pas les visites automatisées ou anonymes.
blocked_lockout=Trop de réponses incorrectes. Veuillez réessayer plus tard.
blocked_vpn=Si vous utilisez un VPN ou un proxy, le désactiver peut aider.
blocked_home=Retour à la page d'accueil
ratelimited_title=Trop de requêtes
ratelimited_heading=Prenez une tasse de thé
ratelimited_text=Vous avez envoyé trop de requêtes au cours de la dernière minute. Veuillez patienter {seconds} s, puis réessayer.
ratelimited_retry=Actualiser la page
language_link=Langue
language_title=Choisissez votre langue
language_heading=Choisissez votre langue
language_search_label=Rechercher une langue
language_search_button=Rechercher
language_no_match=Aucune langue ne correspond à votre recherche.
language_show_all=Afficher toutes les langues
language_back=Revenir sans changer de langue
theme_link_dark=Thème sombre
theme_link_light=Thème clair
`
