package demo

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
)

// The demo's district map: a fictional map of 示例市's seven districts for the
// report's choropleths, written to map/districts.geojson. It is a flower of
// seven hexagons (东湖区 in the middle) whose borders are made irregular: every
// corner is moved a little and every side bends through three moved points.
// Neighbours share their corners and side points exactly, so the districts
// neither overlap nor leave gaps. The city lies in the open Pacific, far from
// any real district.
const (
	mapLon, mapLat = 160.0, 30.0 // centre of the fictional city
	mapRadius      = 0.16        // hexagon corner radius, degrees
	saltMap        = 0x1f83d9abfb41bd6b
)

// mapPlaces gives each district's hexagon in axial coordinates (q, r), in the
// order of Districts.
var mapPlaces = [][2]int{{0, 0}, {-1, 0}, {0, 1}, {1, -1}, {1, 0}, {-1, 1}, {0, -1}}

// mapPoint is a position in degrees.
type mapPoint struct{ x, y float64 }

// key identifies a position of the regular grid (before any move), so that the
// hexagons sharing a corner move it the same way.
func (p mapPoint) key() uint64 {
	return uint64(int64(math.Round(p.x*1e5)))*0x9e3779b97f4a7c15 ^ uint64(int64(math.Round(p.y*1e5)))
}

// jitter returns a deterministic number in [-1, 1) for key k and index i.
func (g *gen) jitter(k uint64, i uint64) float64 {
	return float64(mix(g.seed^saltMap^k^mix(i))>>11)*0x1p-52 - 1
}

// districtPolygons returns the closed outline ring of each district, in the order of Districts.
func (g *gen) districtPolygons() [][]mapPoint {
	const r = mapRadius
	w := math.Sqrt(3) * r // pointy-top hexagons
	moved := func(p mapPoint) mapPoint {
		k := p.key()
		return mapPoint{p.x + 0.16*r*g.jitter(k, 0), p.y + 0.16*r*g.jitter(k, 1)}
	}
	var rings [][]mapPoint
	for _, qr := range mapPlaces {
		q, rr := float64(qr[0]), float64(qr[1])
		c := mapPoint{w * (q + rr/2), 1.5 * r * rr}
		var corners [6]mapPoint
		for k := range corners {
			a := math.Pi / 180 * float64(60*k+30)
			corners[k] = mapPoint{c.x + r*math.Cos(a), c.y + r*math.Sin(a)}
		}
		var ring []mapPoint
		for k := range corners {
			a, b := corners[k], corners[(k+1)%6]
			ring = append(ring, moved(a))
			// The side's points, laid out from its lower-keyed end so both neighbours agree.
			from, to, rev := a, b, false
			if from.key() > to.key() {
				from, to, rev = b, a, true
			}
			ka, kb := from.key(), to.key()
			side := make([]mapPoint, 3)
			dx, dy := to.x-from.x, to.y-from.y
			mf, mt := moved(from), moved(to)
			for i := range side {
				t := float64(i+1) / 4
				off := 0.09 * g.jitter(ka^kb*31, uint64(i)) // across the side, as a share of its length
				side[i] = mapPoint{mf.x + (mt.x-mf.x)*t - dy*off, mf.y + (mt.y-mf.y)*t + dx*off}
			}
			if rev {
				side[0], side[2] = side[2], side[0]
			}
			ring = append(ring, side...)
		}
		ring = append(ring, ring[0])
		for i := range ring {
			ring[i].x += mapLon
			ring[i].y += mapLat
		}
		rings = append(rings, ring)
	}
	return rings
}

// writeMap writes map/districts.geojson: one Polygon feature per district with
// its code and name.
func (g *gen) writeMap() error {
	type feature struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   struct {
			Type        string         `json:"type"`
			Coordinates [][][2]float64 `json:"coordinates"`
		} `json:"geometry"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection"}
	for i, ring := range g.districtPolygons() {
		d := g.districts[i]
		f := feature{Type: "Feature", Properties: map[string]string{"code": d.Code, "name": d.Name}}
		f.Geometry.Type = "Polygon"
		var coords [][2]float64
		for _, p := range ring {
			coords = append(coords, [2]float64{math.Round(p.x*1e5) / 1e5, math.Round(p.y*1e5) / 1e5})
		}
		f.Geometry.Coordinates = [][][2]float64{coords}
		fc.Features = append(fc.Features, f)
	}
	b, err := json.Marshal(fc)
	if err != nil {
		return err
	}
	rel := "map/districts.geojson"
	path := filepath.Join(g.opt.Dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create folder of %s: %w", path, err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	g.files = append(g.files, rel)
	return nil
}
