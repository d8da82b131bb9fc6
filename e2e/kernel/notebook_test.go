package kernel

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestWriteNotebookCodeCellsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nb.ipynb")
	want := []string{"%%\nfmt.Println(1)", "import \"fmt\""}
	if err := WriteNotebook(path, want...); err != nil {
		t.Fatal(err)
	}
	got, err := CodeCells(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCodeCellsSourceForms(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nb.ipynb")
	nb := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
	 {"cell_type": "markdown", "metadata": {}, "source": ["# title"]},
	 {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": ["a := 1\n", "b := 2"]},
	 {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": "c := 3"}]}`
	if err := os.WriteFile(path, []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := CodeCells(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a := 1\nb := 2", "c := 3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if err := os.WriteFile(path, []byte(`{"nbformat": 3, "cells": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CodeCells(path); err == nil {
		t.Error("nbformat 3 accepted")
	}
}

func TestSignerRoundTrip(t *testing.T) {
	s := signer{key: []byte("k")}
	h := Header{MsgID: "1", MsgType: "status"}
	frames, err := s.encode(h, &Header{MsgID: "p"}, map[string]any{"execution_state": "idle"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.decode("iopub", append([][]byte{[]byte("topic")}, frames...))
	if err != nil {
		t.Fatal(err)
	}
	if m.ParentHeader.MsgID != "p" || str(m.Content, "execution_state") != "idle" {
		t.Errorf("decoded %+v", m)
	}
	frames[1][0] ^= 1 // corrupt the signature
	if _, err := s.decode("iopub", frames); err == nil {
		t.Error("bad signature accepted")
	}
}
