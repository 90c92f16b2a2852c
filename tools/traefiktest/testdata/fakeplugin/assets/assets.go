// Package assets is a stand-in for the real plugin's generated assets.
package assets

// Suffix is appended to the greeting.
const Suffix = "!"
