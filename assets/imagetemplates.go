package assets

// ChallengeOneclickTemplate is the oneclick page (captcha_oneclick.html):
// every candidate is a submit button carrying its index as ci. Data: the
// common data (README "Templates") and Action (form URL), Token, Reference
// (data URL) and ReferenceSrc (the same as a ready src="…" attribute),
// ReferenceSize, Candidates (list of Index, Name (ciN), Image, Src, Alt),
// CandidateSize, Count, Error, AudioAlternative (URL) when offered.
const ChallengeOneclickTemplate = `{{template "head" .}}<main class="wide">
<h1>{{.T.challenge_heading}}</h1>
<p id="prompt">{{.T.oneclick_prompt}}</p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
<img class="ref" {{.ReferenceSrc}} width="{{.ReferenceSize}}" height="{{.ReferenceSize}}" alt="{{.T.oneclick_reference_alt}}">
<form method="post" action="{{.Action}}">
<input type="hidden" name="ct" value="{{.Token}}">
<div class="grid" role="group" aria-labelledby="prompt">
{{range .Candidates}}<button type="submit" class="cand" name="ci" value="{{.Index}}"><img {{.Src}} width="{{$.CandidateSize}}" height="{{$.CandidateSize}}" alt="{{.Alt}}"></button>
{{end}}</div>
</form>
{{if .AudioAlternative}}<p class="alt">
<a href="{{.AudioAlternative}}">{{.T.audio_alternative}}</a></p>
{{end}}{{template "footer" .}}`

// ChallengeMulticlickTemplate is the multiclick page
// (captcha_multiclick.html): one checkbox ciN per candidate. Data: as
// ChallengeOneclickTemplate.
const ChallengeMulticlickTemplate = `{{template "head" .}}<main class="wide">
<h1>{{.T.challenge_heading}}</h1>
<p>{{.T.multiclick_prompt}}</p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
<img class="ref" {{.ReferenceSrc}} width="{{.ReferenceSize}}" height="{{.ReferenceSize}}" alt="{{.T.multiclick_reference_alt}}">
<form method="post" action="{{.Action}}">
<input type="hidden" name="ct" value="{{.Token}}">
<fieldset class="grid">
<legend>{{.T.multiclick_legend}}</legend>
{{range .Candidates}}<label class="cand pick"><input type="checkbox" name="{{.Name}}" value="1"><img {{.Src}} width="{{$.CandidateSize}}" height="{{$.CandidateSize}}" alt="{{.Alt}}"></label>
{{end}}</fieldset>
<button type="submit">{{.T.button_continue}}</button>
</form>
{{if .AudioAlternative}}<p class="alt">
<a href="{{.AudioAlternative}}">{{.T.audio_alternative}}</a></p>
{{end}}{{template "footer" .}}`
