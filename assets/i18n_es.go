package assets

// LangEs translates LangEN (i18n_en.go) into Español.
const LangEs = `code=es
name=Español
dir=ltr
challenge_title=Un momento, por favor
challenge_heading=¿Es usted una persona?
text_prompt=Para continuar, escriba los {count} caracteres que ve en la imagen. No importa si usa mayúsculas o minúsculas.
text_alt=Caracteres distorsionados que debe escribir en el campo de abajo
text_label=Caracteres
button_continue=Continuar
oneclick_prompt=Seleccione la imagen que muestra el mismo motivo que esta:
oneclick_reference_alt=La imagen de referencia. Una de las {count} imágenes de abajo muestra el mismo motivo.
multiclick_prompt=Seleccione todas las imágenes que muestran el mismo motivo que esta y, después, pulse Continuar.
multiclick_reference_alt=La imagen de referencia. Algunas de las {count} imágenes de abajo muestran el mismo motivo.
multiclick_legend=Imágenes con el mismo motivo
candidate_alt=Imagen {index} de {count}
audio_prompt=Escuche la grabación y escriba los {count} dígitos que oiga.
audio_hard_prompt=Escuche también la grabación y escriba los {count} dígitos que oiga.
audio_label=Dígitos
audio_unsupported=Su navegador no puede reproducir esta grabación.
audio_alternative=¿No puede ver las imágenes? Use una prueba de audio
visual_alternative=¿No puede escuchar? Use una prueba con imágenes
error_wrong=La respuesta no es correcta. Inténtelo de nuevo.
error_expired=Esa prueba había caducado. Aquí tiene una nueva.
error_spent=Esa prueba ya se había usado. Aquí tiene una nueva.
error_harder=Esta página requiere una prueba más difícil. Aquí la tiene.
error_bad_input=No se ha podido leer su respuesta. Inténtelo de nuevo.
footer_full=Protegido por Captchaify, un captcha autoalojado. Ningún tercero ve su visita.
footer_short=Protegido por Captchaify.
blocked_title=Acceso bloqueado
blocked_heading=Acceso bloqueado
blocked_sorry=Lo sentimos, en este momento no puede ver esta página.
blocked_suspicious=Esta página no acepta visitas automatizadas ni anónimas.
blocked_lockout=Demasiadas respuestas incorrectas. Inténtelo de nuevo más tarde.
blocked_vpn=Si usa una VPN o un proxy, desactivarlo puede ayudar.
blocked_home=Volver a la página principal
ratelimited_title=Demasiadas solicitudes
ratelimited_heading=Tómese una taza de té
ratelimited_text=Ha enviado demasiadas solicitudes en el último minuto. Espere {seconds} s y vuelva a intentarlo.
ratelimited_retry=Actualizar la página
language_link=Idioma
language_title=Elija su idioma
language_heading=Elija su idioma
language_search_label=Buscar un idioma
language_search_button=Buscar
language_no_match=Ningún idioma coincide con su búsqueda.
language_show_all=Mostrar todos los idiomas
language_back=Volver sin cambiar el idioma
theme_link_dark=Tema oscuro
theme_link_light=Tema claro
`
