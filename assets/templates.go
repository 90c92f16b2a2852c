// Package assets holds what the plugin ships besides code: page templates,
// glyphs and (later) datasets, as Go constants, because Traefik's Yaegi has
// no embed and the plugin cannot find its own files at run time.
package assets

// PageStyle is the shared stylesheet of every page: small, responsive,
// light or dark by the visitor's choice (data-theme on <html>) or else by
// prefers-color-scheme. Both themes meet WCAG 2.2 AA contrast. Logical
// properties (inset-inline-start, margin-inline) keep right-to-left pages
// right. The image challenge part lays out the seed's 200 px reference and
// a grid of 100 px candidates, 6 columns (3 on narrow screens, 2 on phones).
const PageStyle = `
:root{color-scheme:light;--bg:#f4f5f7;--card:#ffffff;--fg:#1b1d21;--muted:#4f5561;--accent:#1f5fd1;--accent-fg:#ffffff;--err:#b3261e;--line:#c9cdd4}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){color-scheme:dark;--bg:#121316;--card:#1d1f24;--fg:#eceef2;--muted:#b4bac4;--accent:#8ab4ff;--accent-fg:#0b1a33;--err:#ffb4ab;--line:#4a4f58}}
:root[data-theme=dark]{color-scheme:dark;--bg:#121316;--card:#1d1f24;--fg:#eceef2;--muted:#b4bac4;--accent:#8ab4ff;--accent-fg:#0b1a33;--err:#ffb4ab;--line:#4a4f58}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;padding:16px}
main{background:var(--card);border:1px solid var(--line);border-radius:14px;max-width:460px;width:100%;padding:28px 24px;box-shadow:0 2px 14px rgba(0,0,0,.06)}
main.wide{max-width:720px}
h1{font-size:1.35rem;margin:0 0 .4rem}
p{margin:.4rem 0;color:var(--muted)}
.err{color:var(--err);font-weight:600}
img.captcha{display:block;width:100%;height:auto;border-radius:8px;border:1px solid var(--line);margin:14px 0;background:#fff}
label{display:block;font-weight:600;margin:10px 0 4px}
input[type=text],input[type=search]{width:100%;font:inherit;font-size:1.15rem;padding:10px 12px;border-radius:8px;border:1px solid var(--muted);background:var(--card);color:var(--fg)}
input.answer{letter-spacing:.08em}
audio{display:block;width:100%;margin:10px 0}
button,.button{display:inline-block;margin-block-start:14px;font:inherit;font-weight:600;padding:10px 18px;border:0;border-radius:8px;background:var(--accent);color:var(--accent-fg);cursor:pointer;text-decoration:none}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
a{color:var(--accent)}
.alt{margin-block-start:14px}
footer{margin-block-start:18px;font-size:.875rem;color:var(--muted)}
footer p{margin:.3rem 0}
.prefs a{display:inline-block;padding:2px 0;margin-inline-end:14px;white-space:nowrap}
a.lang::before{content:"";display:inline-block;width:1em;height:1em;margin-inline-end:.3em;vertical-align:-.15em;background:currentColor;-webkit-mask:url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='black' stroke-width='2'%3E%3Ccircle cx='12' cy='12' r='10'/%3E%3Cellipse cx='12' cy='12' rx='4' ry='10'/%3E%3Cpath d='M2 12h20'/%3E%3C/svg%3E") center/contain no-repeat;mask:url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='black' stroke-width='2'%3E%3Ccircle cx='12' cy='12' r='10'/%3E%3Cellipse cx='12' cy='12' rx='4' ry='10'/%3E%3Cpath d='M2 12h20'/%3E%3C/svg%3E") center/contain no-repeat}
html:not([data-theme]) .to-light{display:none}
@media (prefers-color-scheme:dark){html:not([data-theme]) .to-light{display:inline}html:not([data-theme]) .to-dark{display:none}}
.emoji{font-size:2.6rem;line-height:1}
img.ref{display:block;width:200px;max-width:100%;height:auto;margin:12px auto;border-radius:10px;border:1px solid var(--line)}
.grid{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:8px;margin:12px 0 0;padding:0;border:0}
@media (max-width:670px){.grid{grid-template-columns:repeat(3,minmax(0,1fr))}}
@media (max-width:400px){.grid{grid-template-columns:repeat(2,minmax(0,1fr))}}
.cand{position:relative;display:block;margin:0;padding:0;border:2px solid var(--line);border-radius:10px;background:var(--card);cursor:pointer;line-height:0;max-width:104px;justify-self:center;width:100%}
.cand img{display:block;width:100%;height:auto;border-radius:8px}
button.cand:hover,.pick:hover{border-color:var(--accent)}
.pick input{position:absolute;top:6px;inset-inline-start:6px;width:22px;height:22px;margin:0;accent-color:var(--accent)}
.pick input:checked+img{outline:4px solid var(--accent);outline-offset:-4px}
legend{font-weight:600;padding:0;margin:0 0 4px;grid-column:1/-1}
form.search{display:flex;gap:8px;align-items:flex-end;flex-wrap:wrap}
form.search div{flex:1 1 200px}
form.search button{margin:0}
ul.langs{list-style:none;padding:0;margin:14px 0;display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:4px 12px}
ul.langs a{display:inline-block;padding:6px 4px;border-radius:6px}
ul.langs a[aria-current]{font-weight:700}
`

// PagePartials are the pieces every built-in page shares; a custom
// template may call them too ({{template "head" .}} … {{template "footer" .}}).
// "head" opens the document up to <body>, "footer" closes <main> with the
// language and theme links and the credit, and the document.
const PagePartials = `{{define "head"}}<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.Dir}}"{{if .Theme}} data-theme="{{.Theme}}"{{end}}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}}</title>
<style>{{.Style}}</style>
</head>
<body>
{{end}}{{define "footer"}}<footer>
<p class="prefs">
<a class="lang" href="{{.LanguageURL}}">{{.T.language_link}}</a>
{{- if ne .Theme "dark"}} <a class="to-dark" href="{{.ThemeDarkURL}}">{{.T.theme_link_dark}}</a>{{end}}
{{- if ne .Theme "light"}} <a class="to-light" href="{{.ThemeLightURL}}">{{.T.theme_link_light}}</a>{{end}}</p>
<p>{{if .Challenge}}{{.T.footer_full}}{{else}}{{.T.footer_short}}{{end}}</p>
</footer>
</main>
</body>
</html>
{{end}}`

// ChallengeTextTemplate is the text challenge page (captcha_text.html).
// Data: the common data (README "Templates") and Action (form URL), Token,
// Image (data URL), Width, Height, Length, Error; at hardness 3 Audio (data
// URL) and AudioLength; AudioAlternative (URL) when offered.
const ChallengeTextTemplate = `{{template "head" .}}<main>
<h1>{{.T.challenge_heading}}</h1>
<p>{{.T.text_prompt}}</p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="ct" value="{{.Token}}">
<img class="captcha" src="{{.Image}}" width="{{.Width}}" height="{{.Height}}" alt="{{.T.text_alt}}">
<label for="tc">{{.T.text_label}}</label>
<input type="text" class="answer" id="tc" name="tc" dir="ltr" required autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="32" autofocus>
{{if .Audio}}<audio controls src="{{.Audio}}">{{.T.audio_unsupported}}</audio>
<label for="ac">{{.T.audio_hard_prompt}}</label>
<input type="text" class="answer" id="ac" name="ac" dir="ltr" inputmode="numeric" required autocomplete="off" spellcheck="false" maxlength="32">
{{end}}<button type="submit">{{.T.button_continue}}</button>
</form>
{{if .AudioAlternative}}<p class="alt">
<a href="{{.AudioAlternative}}">{{.T.audio_alternative}}</a></p>
{{end}}{{template "footer" .}}`

// BlockedTemplate is the page of a blocked client (403, blocked.html).
// Data: the common data and Reason (translated text).
const BlockedTemplate = `{{template "head" .}}<main>
<div class="emoji" aria-hidden="true">&#x1F6A7;</div>
<h1>{{.T.blocked_heading}}</h1>
<p>{{.T.blocked_sorry}}</p>
<p>{{.Reason}}</p>
<p>{{.T.blocked_vpn}}</p>
<a class="button" href="/">{{.T.blocked_home}}</a>
{{template "footer" .}}`

// RateLimitedTemplate is the page of a client over its rate limit (429,
// rate_limited.html). Data: the common data, RetryAfter (seconds) and
// Retry (URL of the page to try again).
const RateLimitedTemplate = `{{template "head" .}}<main>
<div class="emoji" aria-hidden="true">&#x1F375;</div>
<h1>{{.T.ratelimited_heading}}</h1>
<p>{{.T.ratelimited_text}}</p>
<a class="button" href="{{.Retry}}">{{.T.ratelimited_retry}}</a>
{{template "footer" .}}`

// ChangeLanguageTemplate is the change-language page (change_language.html).
// Data: the common data, Action (the page's own URL, for the search form),
// Return (the page to go back to), Query (the search), Languages (list of
// Code, Name, Dir, URL, Current), NoMatch, ShowAllURL, BackURL.
const ChangeLanguageTemplate = `{{template "head" .}}<main class="wide">
<h1>{{.T.language_heading}}</h1>
<form class="search" method="get" action="{{.Action}}" role="search">
<input type="hidden" name="return" value="{{.Return}}">
<div><label for="q">{{.T.language_search_label}}</label>
<input type="search" id="q" name="q" value="{{.Query}}" maxlength="64" autocomplete="off"></div>
<button type="submit">{{.T.language_search_button}}</button>
</form>
{{if .NoMatch}}<p role="status">{{.T.language_no_match}}</p>{{end}}
<ul class="langs">
{{range .Languages}}<li><a href="{{.URL}}" lang="{{.Code}}" hreflang="{{.Code}}" dir="{{.Dir}}"{{if .Current}} aria-current="true"{{end}}>{{.Name}}</a></li>
{{end}}</ul>
{{if .Query}}<p><a href="{{.ShowAllURL}}">{{.T.language_show_all}}</a></p>{{end}}
<p><a href="{{.BackURL}}">{{.T.language_back}}</a></p>
{{template "footer" .}}`
