// Command hello prints a greeting and the user it runs as. packager's
// end-to-end tests run it in a container to check the image's user.
package main

import (
	"fmt"
	"os"
)

func main() {
	greeting := os.Getenv("GREETING")
	if greeting == "" {
		greeting = "Hello from packager"
	}
	name := "world"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	fmt.Printf("%s, %s!\n", greeting, name)
	fmt.Printf("uid=%d gid=%d\n", os.Getuid(), os.Getgid())
}
