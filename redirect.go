package captchaify

import (
	"net/http"
	"strings"
)

// sameSiteTarget is the URL the visitor asked for as a path on this site,
// with its query intact. A path starting with several slashes or a
// backslash would read as another host in a Location header or form
// action, so leading slashes and backslashes are folded into one slash.
func sameSiteTarget(r *http.Request) string {
	p := sameSitePath(r.URL.EscapedPath())
	if r.URL.RawQuery != "" {
		p += "?" + r.URL.RawQuery
	}
	return p
}

// sameSitePath folds leading slashes and backslashes into one slash. A
// challenge is bound to this form of the path, since that is where its
// answer is posted.
func sameSitePath(p string) string {
	return "/" + strings.TrimLeft(p, "/\\")
}

// withQueryArg sets key=value in target's query, dropping earlier values of
// key and keeping every other argument as it was, in order.
func withQueryArg(target, key, value string) string {
	path, query := target, ""
	if i := strings.IndexByte(target, '?'); i >= 0 {
		path, query = target[:i], target[i+1:]
	}
	if query = withoutQueryArg(query, key); query != "" {
		query += "&"
	}
	return path + "?" + query + key + "=" + value
}

// withoutQueryArg drops every value of key from a raw query, keeping the
// other arguments as they were, in order.
func withoutQueryArg(query, key string) string {
	kept := make([]string, 0, 4)
	for _, part := range strings.Split(query, "&") {
		if part == "" || part == key || strings.HasPrefix(part, key+"=") {
			continue
		}
		kept = append(kept, part)
	}
	return strings.Join(kept, "&")
}
