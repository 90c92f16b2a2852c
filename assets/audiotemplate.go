package assets

// ChallengeAudioTemplate is the audio challenge page (captcha_audio.html):
// the visitor plays a clip and types the digits it speaks. Shown when the
// route's type is audio, or when a visitor follows the audio alternative
// of another challenge page.
// Data: the common data (README "Templates") and Action (form URL), Token,
// Audio (data: URL of the WAV clip), Length (digit count), Error,
// VisualAlternative (URL of the picture challenge, empty when the route's
// own type is audio) and AudioAlternative (always empty here).
const ChallengeAudioTemplate = `{{template "head" .}}<main>
<h1>{{.T.challenge_heading}}</h1>
<p>{{.T.audio_prompt}}</p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="ct" value="{{.Token}}">
<audio controls src="{{.Audio}}">{{.T.audio_unsupported}}</audio>
<label for="ac">{{.T.audio_label}}</label>
<input type="text" class="answer" id="ac" name="ac" dir="ltr" inputmode="numeric" required autocomplete="off" spellcheck="false" maxlength="32" autofocus>
<button type="submit">{{.T.button_continue}}</button>
</form>
{{if .VisualAlternative}}<p class="alt">
<a href="{{.VisualAlternative}}">{{.T.visual_alternative}}</a></p>
{{end}}{{template "footer" .}}`
