"""Where the demo buildings stand: points on the Allee, in the Kernstadt and in each Ortsteil.

All addresses are fictional (real-sounding street names, invented house numbers). Every point is
checked with shapely to lie inside the municipality boundary and inside its Ortsteil's cell."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from shapely.affinity import rotate
from shapely.geometry import Point, Polygon, box

from leerstand.seed.geography import ALLEE, ALTSTADT_CENTRE, KERNSTADT, Geography
from leerstand.spatial import crs

ALLEE_COUNT = 20
KERNSTADT_STREETS = [
    "Marktstraße",
    "Bahnhofstraße",
    "Schulstraße",
    "Lindenstraße",
    "Burgstraße",
    "Oberhof",
    "Alter Markt",
]
KERNSTADT_COUNT = 12
VILLAGE_COUNTS = {"Asmusstedt": 2, "Badeborn": 4, "Opperode": 3, "Radisleben": 3, "Rieder": 5}
VILLAGE_STREETS = [
    "Hauptstraße",
    "Dorfstraße",
    "Kirchstraße",
    "Am Anger",
    "Mühlenweg",
    "Bergstraße",
]
VILLAGE_RADIUS_M = 400


@dataclass
class Site:
    area: str  # "allee", "kernstadt", "village", "ziegenberg"
    district: str
    street: str
    house_number: str
    point: Point
    angle: float = 0.0  # orientation of the footprint in degrees

    @property
    def place(self) -> str:
        if self.district == KERNSTADT:
            return "Ballenstedt"
        return f"Ballenstedt OT {self.district}"


def _utm(point: Point) -> tuple[float, float]:
    return crs.from_wgs84(point.x, point.y, crs.UTM32)


def _wgs(x: float, y: float) -> Point:
    return Point(*crs.to_wgs84(x, y, crs.UTM32))


def allee_sites(geo: Geography, rng: random.Random) -> list[Site]:
    """Points along the Allee, 10–20 m off its axis, alternately north and south."""
    (x0, y0), (x1, y1) = _utm(Point(ALLEE.coords[0])), _utm(Point(ALLEE.coords[1]))
    length = math.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = -uy, ux  # left of west->east = north
    angle = math.degrees(math.atan2(uy, ux))
    numbers = {1: 1, -1: 2}  # odd numbers north, even south, ascending west to east
    sites = []
    for i in range(ALLEE_COUNT):
        t = 0.04 + 0.92 * i / (ALLEE_COUNT - 1)
        side = 1 if i % 2 == 0 else -1
        offset = side * rng.uniform(10, 20)
        x = x0 + ux * length * t + nx * offset
        y = y0 + uy * length * t + ny * offset
        number = numbers[side]
        numbers[side] += 2 * rng.choice([1, 1, 2])
        sites.append(Site("allee", KERNSTADT, "Allee", str(number), _wgs(x, y), angle))
    return [s for s in sites if _checked(geo, s.point, KERNSTADT)]


def _checked(geo: Geography, point: Point, district: str) -> bool:
    return geo.boundary.contains(point) and geo.district_of(point) == district


def _sample_near(
    geo: Geography, rng: random.Random, centre: Point, radius: float, district: str, keep=None
) -> Point:
    """A random point within ``radius`` metres of ``centre``, inside ``district``; resampled."""
    cx, cy = _utm(centre)
    for _ in range(500):
        r = radius * math.sqrt(rng.random())
        a = rng.uniform(0, 2 * math.pi)
        point = _wgs(cx + r * math.cos(a), cy + r * math.sin(a))
        if _checked(geo, point, district) and (keep is None or keep(point)):
            return point
    raise RuntimeError(f"Kein Punkt in {district} gefunden")


def kernstadt_sites(geo: Geography, rng: random.Random) -> list[Site]:
    allee_zone = crs.buffer_m(ALLEE, 60)
    counters = {street: rng.randint(1, 5) for street in KERNSTADT_STREETS}
    sites = []
    for i in range(KERNSTADT_COUNT):
        street = KERNSTADT_STREETS[i % len(KERNSTADT_STREETS)]
        point = _sample_near(
            geo, rng, ALTSTADT_CENTRE, 350, KERNSTADT, lambda p: not allee_zone.contains(p)
        )
        number = counters[street]
        counters[street] += rng.randint(1, 6)
        sites.append(Site("kernstadt", KERNSTADT, street, str(number), point, rng.uniform(0, 90)))
    return sites


def village_sites(geo: Geography, rng: random.Random) -> list[Site]:
    sites = []
    for village, count in VILLAGE_COUNTS.items():
        streets = rng.sample(VILLAGE_STREETS, k=min(count, len(VILLAGE_STREETS)))
        for i in range(count):
            point = _sample_near(geo, rng, geo.centres[village], VILLAGE_RADIUS_M, village)
            number = str(rng.randint(1, 40))
            sites.append(Site("village", village, streets[i], number, point, rng.uniform(0, 90)))
    return sites


def ziegenberg_site(geo: Geography) -> Site:
    point = geo.landmarks["ziegenberg"]
    return Site("ziegenberg", geo.district_of(point) or KERNSTADT, "Am Ziegenberg", "1", point)


def all_sites(geo: Geography, rng: random.Random) -> list[Site]:
    return [
        *allee_sites(geo, rng),
        *kernstadt_sites(geo, rng),
        ziegenberg_site(geo),
        *village_sites(geo, rng),
    ]


def footprint(site: Site, width: float = 12, depth: float = 18) -> Polygon:
    """A width × depth metre rectangle around the site, built in UTM 32N, returned in WGS84."""
    x, y = _utm(site.point)
    rect = rotate(box(x - depth / 2, y - width / 2, x + depth / 2, y + width / 2), site.angle)
    return crs.transform_geometry(rect, crs.UTM32, crs.WGS84)
