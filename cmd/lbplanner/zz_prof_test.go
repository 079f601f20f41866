package main
import ("io";"os";"runtime/pprof";"testing";"strings")
func TestZZProf(t *testing.T){
 f,_:=os.Create("/tmp/cpu.prof"); pprof.StartCPUProfile(f)
 args := strings.Fields(os.Getenv("ARGS"))
 rc:=run(args, strings.NewReader(""), io.Discard, os.Stderr)
 pprof.StopCPUProfile(); f.Close()
 if rc!=0 {t.Fatal(rc)}
}
