package kernel

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// CodeCells loads a notebook (nbformat 4 JSON) and returns the source of its code cells in order.
func CodeCells(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb struct {
		NBFormat int `json:"nbformat"`
		Cells    []struct {
			CellType string          `json:"cell_type"`
			Source   json.RawMessage `json:"source"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("notebook %s: %w", path, err)
	}
	if nb.NBFormat != 4 {
		return nil, fmt.Errorf("notebook %s: nbformat %d, want 4", path, nb.NBFormat)
	}
	var cells []string
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		src, err := joinSource(c.Source)
		if err != nil {
			return nil, fmt.Errorf("notebook %s: cell %d: %w", path, i, err)
		}
		cells = append(cells, src)
	}
	return cells, nil
}

// joinSource accepts both forms nbformat allows: one string or a list of lines.
func joinSource(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var lines []string
	if err := json.Unmarshal(raw, &lines); err != nil {
		return "", fmt.Errorf("source is neither a string nor a list of strings")
	}
	return strings.Join(lines, ""), nil
}

// WriteNotebook writes an nbformat 4 notebook for the GoNB kernel with one code cell per
// source, no outputs.
func WriteNotebook(path string, sources ...string) error {
	type cell struct {
		CellType       string         `json:"cell_type"`
		ExecutionCount *int           `json:"execution_count"`
		Metadata       map[string]any `json:"metadata"`
		Outputs        []any          `json:"outputs"`
		Source         string         `json:"source"`
	}
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{
			"kernelspec":    map[string]any{"name": "gonb", "display_name": "Go (gonb)", "language": "go"},
			"language_info": map[string]any{"name": "go"},
		},
	}
	cells := []cell{}
	for _, s := range sources {
		cells = append(cells, cell{CellType: "code", Metadata: map[string]any{}, Outputs: []any{}, Source: s})
	}
	nb["cells"] = cells
	b, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
