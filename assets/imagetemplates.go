package assets

// imageChallengeStyle lays out the image challenges as the seed did: a
// 200 px reference and a grid of 100 px candidates, 6 columns (3 on
// narrow screens, 2 on phones).
const imageChallengeStyle = `
main.wide{max-width:720px}
img.ref{display:block;width:200px;max-width:100%;height:auto;margin:12px auto;border-radius:10px;border:1px solid var(--line)}
.grid{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:8px;margin:12px 0 0;padding:0;border:0}
@media (max-width:670px){.grid{grid-template-columns:repeat(3,minmax(0,1fr))}}
@media (max-width:400px){.grid{grid-template-columns:repeat(2,minmax(0,1fr))}}
.cand{position:relative;display:block;margin:0;padding:0;border:2px solid var(--line);border-radius:10px;background:var(--card);cursor:pointer;line-height:0;max-width:104px;justify-self:center;width:100%}
.cand img{display:block;width:100%;height:auto;border-radius:8px}
button.cand:hover,.pick:hover{border-color:var(--accent)}
.pick input{position:absolute;top:6px;left:6px;width:22px;height:22px;margin:0;accent-color:var(--accent)}
.pick input:checked+img{outline:4px solid var(--accent);outline-offset:-4px}
legend{font-weight:600;padding:0;margin:0 0 4px}
`

// ChallengeOneclickTemplate is the oneclick page: every candidate is a
// submit button carrying its index as ci. Data: Title, Action (form URL),
// Token, Reference (data URL) and ReferenceSrc (the same as a ready src="…"
// attribute), ReferenceSize, Candidates (list of Index, Name (ciN), Image,
// Src, Alt), CandidateSize, Count, Error, Style.
const ChallengeOneclickTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}}</title>
<style>{{.Style}}` + imageChallengeStyle + `</style>
</head>
<body>
<main class="wide">
<h1>Are you a person?</h1>
<p id="prompt">Select the picture that shows the same motif as this one:</p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
<img class="ref" {{.ReferenceSrc}} width="{{.ReferenceSize}}" height="{{.ReferenceSize}}" alt="The reference picture. One of the {{.Count}} pictures below shows the same motif.">
<form method="post" action="{{.Action}}">
<input type="hidden" name="ct" value="{{.Token}}">
<div class="grid" role="group" aria-labelledby="prompt">
{{range .Candidates}}<button type="submit" class="cand" name="ci" value="{{.Index}}"><img {{.Src}} width="{{$.CandidateSize}}" height="{{$.CandidateSize}}" alt="{{.Alt}}"></button>
{{end}}</div>
</form>
<footer>Protected by Captchaify, a self-hosted captcha. No third party sees your visit.</footer>
</main>
</body>
</html>
`

// ChallengeMulticlickTemplate is the multiclick page: one checkbox ciN per
// candidate. Data: as ChallengeOneclickTemplate.
const ChallengeMulticlickTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}}</title>
<style>{{.Style}}` + imageChallengeStyle + `</style>
</head>
<body>
<main class="wide">
<h1>Are you a person?</h1>
<p>Select every picture that shows the same motif as this one, then press Continue.</p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
<img class="ref" {{.ReferenceSrc}} width="{{.ReferenceSize}}" height="{{.ReferenceSize}}" alt="The reference picture. Some of the {{.Count}} pictures below show the same motif.">
<form method="post" action="{{.Action}}">
<input type="hidden" name="ct" value="{{.Token}}">
<fieldset class="grid">
<legend style="grid-column:1/-1">Pictures with the same motif</legend>
{{range .Candidates}}<label class="cand pick"><input type="checkbox" name="{{.Name}}" value="1"><img {{.Src}} width="{{$.CandidateSize}}" height="{{$.CandidateSize}}" alt="{{.Alt}}"></label>
{{end}}</fieldset>
<button type="submit">Continue</button>
</form>
<footer>Protected by Captchaify, a self-hosted captcha. No third party sees your visit.</footer>
</main>
</body>
</html>
`
