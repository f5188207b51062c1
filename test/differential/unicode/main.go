// Command main prints Go's unicode.ToUpper, ToLower and ToTitle for every rune that any of them
// changes, one line per rune: "rune upper lower title" in hex. It regenerates
// test/fixtures/differential/unicode-case.txt:
//
//	GO111MODULE=off go run test/differential/unicode/main.go > test/fixtures/differential/unicode-case.txt
package main

import (
	"bufio"
	"fmt"
	"os"
	"unicode"
)

func main() {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprintf(w, "# unicode %s\n", unicode.Version)
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		u, l, t := unicode.ToUpper(r), unicode.ToLower(r), unicode.ToTitle(r)
		if u != r || l != r || t != r {
			fmt.Fprintf(w, "%x %x %x %x\n", r, u, l, t)
		}
	}
}
