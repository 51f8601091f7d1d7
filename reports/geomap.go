package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// DistrictMap is a city's map of its districts, read from the data folder's
// map/districts.geojson: the district charts of type map draw it as a
// choropleth. No map is shipped with bluebook (a map published in China needs
// an approval number, 审图号); without one those charts stay bar charts.
type DistrictMap struct {
	// GeoJSON is the validated FeatureCollection, rewritten with only what
	// ECharts needs: each feature's geometry and properties {name, code} from the
	// districts list, so the page embeds no text of the file but the district names.
	GeoJSON []byte
	Names   []string // the districts the map draws, in feature order
	// Approval is the map's approval number (config map_approval), printed
	// below every map; "" prints a note that the map is a sketch.
	Approval string
}

// MapDistrict is one district of the city a map's features are matched with.
type MapDistrict struct{ Code, Name string }

// DefaultMapMaxBytes is the largest map file read when the configuration sets
// no map_max_bytes: the map is embedded in two chapter pages and the single file.
const DefaultMapMaxBytes = 5 << 20

// MapFile is where a data folder holds its district map.
const MapFile = "map/districts.geojson"

// LoadDistrictMap reads and validates the GeoJSON file at path: a
// FeatureCollection of Polygon or MultiPolygon features of [longitude,
// latitude] positions, each feature one district of districts matched by its
// code (property code, adcode or district_code) or, failing that, its name
// (property name or district_name), no district twice, the file at most
// maxBytes long (≤ 0: DefaultMapMaxBytes). With districts nil only the file's
// structure is checked. An error names the file and what is wrong with it.
func LoadDistrictMap(path string, maxBytes int64, districts []MapDistrict) (*DistrictMap, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMapMaxBytes
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("district map: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("district map %s: %w", path, err)
	}
	if st.Size() > maxBytes {
		return nil, fmt.Errorf("district map %s: %d bytes, more than the limit of %d (config map_max_bytes); simplify the polygons or raise the limit",
			path, st.Size(), maxBytes)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("district map %s: %w", path, err)
	}
	if int64(len(b)) > maxBytes {
		return nil, fmt.Errorf("district map %s: more than the limit of %d bytes (config map_max_bytes)", path, maxBytes)
	}
	m, err := parseDistrictMap(b, districts)
	if err != nil {
		return nil, fmt.Errorf("district map %s: %w", path, err)
	}
	return m, nil
}

// geoFile and geoFeature are the parts of a GeoJSON file a map uses.
type geoFile struct {
	Type     string            `json:"type"`
	Features []json.RawMessage `json:"features"`
}

type geoFeature struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Geometry   *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// parseDistrictMap validates the GeoJSON text b and matches its features with districts.
func parseDistrictMap(b []byte, districts []MapDistrict) (*DistrictMap, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	var fc geoFile
	if err := json.Unmarshal(b, &fc); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, col := lineCol(b, se.Offset)
			return nil, fmt.Errorf("not valid JSON at line %d, column %d: %v", line, col, se)
		case errors.As(err, &te):
			return nil, fmt.Errorf("not a GeoJSON FeatureCollection: %s holds a JSON %s", cmpOr(te.Field, "the top level"), te.Value)
		}
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("the top-level type is %q; a district map is a GeoJSON \"FeatureCollection\" with one feature per district", fc.Type)
	}
	if len(fc.Features) == 0 {
		return nil, errors.New("the FeatureCollection has no features")
	}
	byCode, byName := map[string]int{}, map[string]int{}
	var known []string
	for i, d := range districts {
		byCode[d.Code] = i
		byName[d.Name] = i
		known = append(known, d.Code+" "+d.Name)
	}
	type outFeature struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   map[string]any    `json:"geometry"`
	}
	out := struct {
		Type     string       `json:"type"`
		Features []outFeature `json:"features"`
	}{Type: "FeatureCollection"}
	m := &DistrictMap{}
	seen := map[int]int{} // district → feature number
	for k, raw := range fc.Features {
		n := k + 1
		var ft geoFeature
		if err := json.Unmarshal(raw, &ft); err != nil {
			return nil, fmt.Errorf("feature %d is not a GeoJSON Feature: %v", n, err)
		}
		if ft.Type != "Feature" {
			return nil, fmt.Errorf("feature %d has type %q, not \"Feature\"", n, ft.Type)
		}
		code, name := propString(ft.Properties, "code", "adcode", "district_code"), propString(ft.Properties, "name", "district_name")
		if districts == nil { // structure only
			if code == "" && name == "" {
				return nil, fmt.Errorf("feature %d has neither a code nor a name property to match it with a district", n)
			}
			if _, err := checkGeometry(geometryOf(ft)); err != nil {
				return nil, fmt.Errorf("feature %d (%s): %w", n, cmpOr(name, code), err)
			}
			continue
		}
		d, ok := byCode[code]
		if !ok || code == "" {
			d, ok = byName[name]
		}
		if !ok || name == "" && code == "" {
			if code == "" && name == "" {
				return nil, fmt.Errorf("feature %d has neither a code nor a name property to match it with a district", n)
			}
			return nil, fmt.Errorf("feature %d (code %q, name %q) is no district of the city (districts: %s)", n, code, name, strings.Join(known, ", "))
		}
		if prev, dup := seen[d]; dup {
			return nil, fmt.Errorf("features %d and %d are both district %s %s", prev, n, districts[d].Code, districts[d].Name)
		}
		seen[d] = n
		if ft.Geometry == nil {
			return nil, fmt.Errorf("feature %d (%s) has no geometry", n, districts[d].Name)
		}
		coords, err := checkGeometry(ft.Geometry.Type, ft.Geometry.Coordinates)
		if err != nil {
			return nil, fmt.Errorf("feature %d (%s): %w", n, districts[d].Name, err)
		}
		out.Features = append(out.Features, outFeature{Type: "Feature",
			Properties: map[string]string{"name": districts[d].Name, "code": districts[d].Code},
			Geometry:   map[string]any{"type": ft.Geometry.Type, "coordinates": coords}})
		m.Names = append(m.Names, districts[d].Name)
	}
	var err error
	if m.GeoJSON, err = json.Marshal(out); err != nil {
		return nil, err
	}
	return m, nil
}

// geometryOf returns the type and coordinates of a feature's geometry, empty without one.
func geometryOf(ft geoFeature) (string, json.RawMessage) {
	if ft.Geometry == nil {
		return "", nil
	}
	return ft.Geometry.Type, ft.Geometry.Coordinates
}

// checkGeometry decodes the coordinates of a Polygon or MultiPolygon and checks
// every ring: at least four [longitude, latitude] positions in range.
func checkGeometry(kind string, raw json.RawMessage) (any, error) {
	var polys [][][][]float64
	switch kind {
	case "Polygon":
		var p [][][]float64
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("the Polygon's coordinates are not rings of [longitude, latitude] positions")
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(raw, &polys); err != nil {
			return nil, fmt.Errorf("the MultiPolygon's coordinates are not polygons of rings of [longitude, latitude] positions")
		}
	case "":
		return nil, errors.New("the feature has no geometry")
	default:
		return nil, fmt.Errorf("geometry type %q; a district is a Polygon or a MultiPolygon", kind)
	}
	if len(polys) == 0 {
		return nil, errors.New("the geometry has no polygon")
	}
	for _, p := range polys {
		if len(p) == 0 {
			return nil, errors.New("a polygon has no ring")
		}
		for _, ring := range p {
			if len(ring) < 4 {
				return nil, fmt.Errorf("a ring has %d positions; a closed ring needs at least 4", len(ring))
			}
			for _, pt := range ring {
				if len(pt) < 2 || math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.Abs(pt[0]) > 180 || math.Abs(pt[1]) > 90 {
					return nil, fmt.Errorf("position %v is not [longitude, latitude] within ±180, ±90", pt)
				}
			}
		}
	}
	if kind == "Polygon" {
		return polys[0], nil
	}
	return polys, nil
}

// propString returns the first of the properties keys that is set, as text
// (a numeric code such as an adcode as its digits).
func propString(props map[string]any, keys ...string) string {
	for _, k := range keys {
		switch v := props[k].(type) {
		case string:
			if s := strings.TrimSpace(v); s != "" {
				return s
			}
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return ""
}

// lineCol turns a byte offset of b into a 1-based line and column (in characters).
func lineCol(b []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(b)))
	before := b[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	last := bytes.LastIndexByte(before, '\n')
	col = len([]rune(string(before[last+1:])))
	if col == 0 {
		col = 1
	}
	return line, col
}
