// Package assets holds what the plugin ships besides code: page templates,
// glyphs and (later) datasets, as Go constants, because Traefik's Yaegi has
// no embed and the plugin cannot find its own files at run time.
package assets

// PageStyle is the shared stylesheet of every page: small, responsive,
// light or dark by the visitor's preference.
const PageStyle = `
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--fg:#1b1d21;--muted:#5a606b;--accent:#1f5fd1;--accent-fg:#fff;--err:#b3261e;--line:#d5d8de}
@media (prefers-color-scheme:dark){:root{--bg:#121316;--card:#1d1f24;--fg:#eceef2;--muted:#a9afba;--accent:#8ab4ff;--accent-fg:#0b1a33;--err:#ffb4ab;--line:#3a3e46}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:16px}
main{background:var(--card);border:1px solid var(--line);border-radius:14px;max-width:460px;width:100%;padding:28px 24px;box-shadow:0 2px 14px rgba(0,0,0,.06)}
h1{font-size:1.35rem;margin:0 0 .4rem}
p{margin:.4rem 0;color:var(--muted)}
.err{color:var(--err);font-weight:600}
img.captcha{display:block;width:100%;height:auto;border-radius:8px;border:1px solid var(--line);margin:14px 0;background:#fff}
label{display:block;font-weight:600;margin:10px 0 4px}
input[type=text]{width:100%;font:inherit;font-size:1.15rem;letter-spacing:.08em;padding:10px 12px;border-radius:8px;border:1px solid var(--muted);background:var(--card);color:var(--fg)}
button,.button{display:inline-block;margin-top:14px;font:inherit;font-weight:600;padding:10px 18px;border:0;border-radius:8px;background:var(--accent);color:var(--accent-fg);cursor:pointer;text-decoration:none}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
a{color:var(--accent)}
footer{margin-top:18px;font-size:.8rem;color:var(--muted)}
.emoji{font-size:2.6rem;line-height:1}
`

// ChallengeTextTemplate is the text challenge page. Data: Title, Action (form
// URL), Token, Image (data URL), Error, Length (characters to type), Style.
const ChallengeTextTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}}</title>
<style>{{.Style}}</style>
</head>
<body>
<main>
<h1>Are you a person?</h1>
<p>Type the {{.Length}} characters you see in the picture to continue. Upper or lower case does not matter.</p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="ct" value="{{.Token}}">
<img class="captcha" src="{{.Image}}" width="{{.Width}}" height="{{.Height}}" alt="Distorted characters to type into the field below">
<label for="tc">Characters</label>
<input type="text" id="tc" name="tc" required autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="32" autofocus>
<button type="submit">Continue</button>
</form>
<footer>Protected by Captchaify, a self-hosted captcha. No third party sees your visit.</footer>
</main>
</body>
</html>
`

// BlockedTemplate is the page of a blocked client (403). Data: Title, Reason, Home, Style.
const BlockedTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}}</title>
<style>{{.Style}}</style>
</head>
<body>
<main>
<div class="emoji" aria-hidden="true">&#x1F6A7;</div>
<h1>Access blocked</h1>
<p>Sorry, you can't see this page right now.</p>
<p>{{.Reason}}</p>
<p>If you use a VPN or proxy, turning it off may help.</p>
<a class="button" href="/">Back to the main page</a>
<footer>Protected by Captchaify.</footer>
</main>
</body>
</html>
`

// RateLimitedTemplate is the page of a client over its rate limit (429).
// Data: Title, RetryAfter (seconds), Retry (URL), Style.
const RateLimitedTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}}</title>
<style>{{.Style}}</style>
</head>
<body>
<main>
<div class="emoji" aria-hidden="true">&#x1F375;</div>
<h1>Have a cup of tea</h1>
<p>You sent too many requests in the last minute. Please wait {{.RetryAfter}} seconds, then try again.</p>
<a class="button" href="{{.Retry}}">Refresh the page</a>
<footer>Protected by Captchaify.</footer>
</main>
</body>
</html>
`
