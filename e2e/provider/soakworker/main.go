// Command soakworker is one process of the soak (see ../soak_test.go).
package main

func main() {}
