package captchaify

import (
	"strconv"
	"sync"
	"testing"
)

func storedPasses(c *passCache) int {
	n := 0
	c.entries.Range(func(_, _ any) bool { n++; return true })
	return n
}

// The pass cache holds at most maxTrackedClients passes; storing a known
// key again replaces it without using room.
func TestPassCacheIsBounded(t *testing.T) {
	c := &passCache{entries: &sync.Map{}, mu: &sync.Mutex{}, limit: 3}
	for i := 0; i < 10; i++ {
		putPass(c, "k"+strconv.Itoa(i), &passEntry{hardness: i})
		if n := storedPasses(c); n > 3 || n != c.count {
			t.Fatalf("after %d puts: %d stored, count %d, limit 3", i+1, n, c.count)
		}
	}
	if v, ok := c.entries.Load("k9"); !ok || v.(*passEntry).hardness != 9 {
		t.Fatal("the newest pass was not kept")
	}
	putPass(c, "k9", &passEntry{hardness: 1})
	if v, _ := c.entries.Load("k9"); storedPasses(c) != 3 || v.(*passEntry).hardness != 1 {
		t.Errorf("storing k9 again: %d stored, want 3 with the new entry", storedPasses(c))
	}
}
