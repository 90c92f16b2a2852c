package assets

// LangKo translates LangEN (i18n_en.go) into 한국어.
const LangKo = `code=ko
name=한국어
dir=ltr
challenge_title=잠시만 기다려 주세요
challenge_heading=사람이신가요?
text_prompt=계속하려면 이미지에 보이는 문자 {count}개를 입력하세요. 대소문자는 구분하지 않습니다.
text_alt=아래 입력란에 입력할 왜곡된 문자
text_label=문자
button_continue=계속
oneclick_prompt=이 이미지와 같은 대상이 있는 이미지를 선택하세요:
oneclick_reference_alt=기준 이미지입니다. 아래 이미지 {count}개 중 하나에 같은 대상이 있습니다.
multiclick_prompt=이 이미지와 같은 대상이 있는 이미지를 모두 선택한 후 '계속'을 누르세요.
multiclick_reference_alt=기준 이미지입니다. 아래 이미지 {count}개 중 일부에 같은 대상이 있습니다.
multiclick_legend=같은 대상이 있는 이미지
candidate_alt={count}개 중 {index}번째 이미지
audio_prompt=녹음을 듣고 들리는 숫자 {count}개를 입력하세요.
audio_hard_prompt=녹음도 듣고 들리는 숫자 {count}개를 입력하세요.
audio_label=숫자
audio_unsupported=브라우저에서 이 녹음을 재생할 수 없습니다.
audio_alternative=이미지가 보이지 않나요? 음성 인증 사용하기
visual_alternative=들을 수 없나요? 이미지 인증 사용하기
error_wrong=정답이 아닙니다. 다시 시도해 주세요.
error_expired=인증이 만료되어 새 인증을 표시합니다.
error_spent=이미 사용된 인증이어서 새 인증을 표시합니다.
error_harder=이 페이지에는 더 어려운 인증이 필요합니다. 아래 인증을 완료해 주세요.
error_bad_input=답을 읽을 수 없습니다. 다시 시도해 주세요.
footer_full=자체 호스팅 CAPTCHA인 Captchaify로 보호됩니다. 제3자는 이 방문 사실을 알 수 없습니다.
footer_short=Captchaify로 보호됩니다.
blocked_title=접근 차단됨
blocked_heading=접근이 차단되었습니다
blocked_sorry=죄송합니다. 지금은 이 페이지를 볼 수 없습니다.
blocked_suspicious=이 페이지는 자동화된 방문이나 익명 방문을 허용하지 않습니다.
blocked_lockout=잘못된 답변이 너무 많습니다. 나중에 다시 시도해 주세요.
blocked_vpn=VPN이나 프록시를 사용 중이라면 꺼 보세요. 도움이 될 수 있습니다.
blocked_home=메인 페이지로 돌아가기
ratelimited_title=요청이 너무 많음
ratelimited_heading=차 한잔하며 쉬어 가세요
ratelimited_text=지난 1분 동안 요청을 너무 많이 보냈습니다. {seconds}초 후에 다시 시도해 주세요.
ratelimited_retry=페이지 새로고침
language_link=언어
language_title=언어 선택
language_heading=언어를 선택하세요
language_search_label=언어 검색
language_search_button=검색
language_no_match=검색과 일치하는 언어가 없습니다.
language_show_all=모든 언어 보기
language_back=언어를 변경하지 않고 돌아가기
theme_link_dark=어두운 테마
theme_link_light=밝은 테마
`
