package assets

// LangPt translates LangEN (i18n_en.go) into Português.
const LangPt = `code=pt
name=Português
dir=ltr
challenge_title=Um momento, por favor
challenge_heading=Confirme que é uma pessoa
text_prompt=Para continuar, escreva os {count} caracteres que vê na imagem. Não importa se usa maiúsculas ou minúsculas.
text_alt=Caracteres distorcidos para escrever no campo abaixo
text_label=Caracteres
button_continue=Continuar
oneclick_prompt=Selecione a imagem que mostra o mesmo motivo que esta:
oneclick_reference_alt=A imagem de referência. Uma das {count} imagens abaixo mostra o mesmo motivo.
multiclick_prompt=Selecione todas as imagens que mostram o mesmo motivo que esta e, depois, clique em Continuar.
multiclick_reference_alt=A imagem de referência. Algumas das {count} imagens abaixo mostram o mesmo motivo.
multiclick_legend=Imagens com o mesmo motivo
candidate_alt=Imagem {index} de {count}
audio_prompt=Ouça a gravação e escreva os {count} dígitos que ouvir.
audio_hard_prompt=Ouça também a gravação e escreva os {count} dígitos que ouvir.
audio_label=Dígitos
audio_unsupported=O seu navegador não consegue reproduzir esta gravação.
audio_alternative=Não consegue ver as imagens? Use um teste de áudio
visual_alternative=Não consegue ouvir? Use um teste com imagens
error_wrong=A resposta não está correta. Tente novamente.
error_expired=Esse teste tinha expirado. Aqui está um novo.
error_spent=Esse teste já tinha sido usado. Aqui está um novo.
error_harder=Esta página exige um teste mais difícil. Aqui está.
error_bad_input=Não foi possível ler a sua resposta. Tente novamente.
footer_full=Protegido pelo Captchaify, um captcha auto-hospedado. Nenhum serviço de terceiros vê a sua visita.
footer_short=Protegido pelo Captchaify.
blocked_title=Acesso bloqueado
blocked_heading=Acesso bloqueado
blocked_sorry=Lamentamos, mas não pode ver esta página neste momento.
blocked_suspicious=Esta página não aceita visitas automatizadas nem com origem oculta.
blocked_lockout=Muitas respostas erradas. Tente novamente mais tarde.
blocked_vpn=Se usar uma VPN ou um proxy, desativá-lo pode ajudar.
blocked_home=Voltar à página principal
ratelimited_title=Pedidos em excesso
ratelimited_heading=Que tal um chá?
ratelimited_text=Enviou pedidos em excesso no último minuto. Aguarde {seconds} s e tente novamente.
ratelimited_retry=Atualizar a página
language_link=Idioma
language_title=Escolha o seu idioma
language_heading=Escolha o seu idioma
language_search_label=Pesquisar um idioma
language_search_button=Pesquisar
language_no_match=Nenhum idioma corresponde à sua pesquisa.
language_show_all=Mostrar todos os idiomas
language_back=Voltar sem mudar o idioma
theme_link_dark=Tema escuro
theme_link_light=Tema claro
`
