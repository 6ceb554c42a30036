//! Where schools are, and how far a photo was taken from one.
//!
//! The DfE register (GIAS) gives each school's position as an Ordnance Survey National
//! Grid Easting and Northing (OSGB36 datum, metres); a phone records WGS84 latitude and
//! longitude. [`osgb36_to_wgs84`] converts the first to the second with the published
//! transformation in Ordnance Survey's "A guide to coordinate systems in Great Britain"
//! (inverse Transverse Mercator on the Airy 1830 ellipsoid, annex C; then the
//! OSGB36 → WGS84 Helmert transformation, section 6.6, good to about 5 m: far inside
//! the 400 m that makes a photo "at the school").

use crate::pack::Coordinates;

/// Mean Earth radius for distances, in metres (IUGG).
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// The register's columns to a school's position: Easting and Northing (metres on the
/// National Grid) when both are numbers, else Latitude and Longitude (WGS84 degrees)
/// when both are numbers in range; `None` otherwise (many register rows have no
/// position: closed or proposed schools).
pub fn register_location(
    easting: Option<&str>,
    northing: Option<&str>,
    latitude: Option<&str>,
    longitude: Option<&str>,
) -> Option<Coordinates> {
    let num = |s: Option<&str>| s.and_then(|s| s.trim().parse::<f64>().ok());
    if let (Some(e), Some(n)) = (num(easting), num(northing)) {
        // The grid covers 0..700 km east, 0..1300 km north; GIAS writes 0 for unknown.
        if (1.0..=700_000.0).contains(&e) && (1.0..=1_300_000.0).contains(&n) {
            return Some(osgb36_to_wgs84(e, n));
        }
    }
    match (num(latitude), num(longitude)) {
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat)
                && (-180.0..=180.0).contains(&lon)
                && (lat, lon) != (0.0, 0.0) =>
        {
            Some(Coordinates {
                latitude: lat,
                longitude: lon,
            })
        }
        _ => None,
    }
}

/// Converts an OS National Grid position (`easting`, `northing`, metres, OSGB36) to
/// WGS84 latitude and longitude (degrees), to within about 5 m (Helmert
/// transformation; the OSTN15 grid would give centimetres at a cost of megabytes).
pub fn osgb36_to_wgs84(easting: f64, northing: f64) -> Coordinates {
    let (lat, lon) = grid_to_osgb36(easting, northing);
    let (lat, lon) = helmert_osgb36_to_wgs84(lat, lon);
    Coordinates {
        latitude: lat.to_degrees(),
        longitude: lon.to_degrees(),
    }
}

// Airy 1830 ellipsoid and National Grid projection constants (OS guide, annex A).
const AIRY_A: f64 = 6_377_563.396;
const AIRY_B: f64 = 6_356_256.909;
const F0: f64 = 0.999_601_271_7;
const E0: f64 = 400_000.0;
const N0: f64 = -100_000.0;
const PHI0_DEG: f64 = 49.0;
const LAMBDA0_DEG: f64 = -2.0;

/// Inverse Transverse Mercator (OS guide, annex C): grid metres to OSGB36 latitude and
/// longitude in radians.
fn grid_to_osgb36(e: f64, n_grid: f64) -> (f64, f64) {
    let (a, b) = (AIRY_A, AIRY_B);
    let phi0 = PHI0_DEG.to_radians();
    let lambda0 = LAMBDA0_DEG.to_radians();
    let e2 = 1.0 - (b * b) / (a * a);
    let n = (a - b) / (a + b);
    let (n2, n3) = (n * n, n * n * n);
    let meridional = |phi: f64| {
        let (d, s) = (phi - phi0, phi + phi0);
        b * F0
            * ((1.0 + n + 1.25 * n2 + 1.25 * n3) * d
                - (3.0 * n + 3.0 * n2 + 21.0 / 8.0 * n3) * d.sin() * s.cos()
                + (15.0 / 8.0 * n2 + 15.0 / 8.0 * n3) * (2.0 * d).sin() * (2.0 * s).cos()
                - 35.0 / 24.0 * n3 * (3.0 * d).sin() * (3.0 * s).cos())
    };
    let mut phi = phi0;
    let mut m = 0.0;
    for _ in 0..100 {
        phi += (n_grid - N0 - m) / (a * F0);
        m = meridional(phi);
        if (n_grid - N0 - m).abs() < 0.00001 {
            break;
        }
    }
    let (sin, cos, tan) = (phi.sin(), phi.cos(), phi.tan());
    let nu = a * F0 / (1.0 - e2 * sin * sin).sqrt();
    let rho = a * F0 * (1.0 - e2) / (1.0 - e2 * sin * sin).powf(1.5);
    let eta2 = nu / rho - 1.0;
    let (t2, t4, t6) = (tan * tan, tan.powi(4), tan.powi(6));
    let sec = 1.0 / cos;
    let vii = tan / (2.0 * rho * nu);
    let viii = tan / (24.0 * rho * nu.powi(3)) * (5.0 + 3.0 * t2 + eta2 - 9.0 * t2 * eta2);
    let ix = tan / (720.0 * rho * nu.powi(5)) * (61.0 + 90.0 * t2 + 45.0 * t4);
    let x = sec / nu;
    let xi = sec / (6.0 * nu.powi(3)) * (nu / rho + 2.0 * t2);
    let xii = sec / (120.0 * nu.powi(5)) * (5.0 + 28.0 * t2 + 24.0 * t4);
    let xiia = sec / (5040.0 * nu.powi(7)) * (61.0 + 662.0 * t2 + 1320.0 * t4 + 720.0 * t6);
    let de = e - E0;
    let lat = phi - vii * de.powi(2) + viii * de.powi(4) - ix * de.powi(6);
    let lon = lambda0 + x * de - xi * de.powi(3) + xii * de.powi(5) - xiia * de.powi(7);
    (lat, lon)
}

/// OSGB36 (Airy 1830) latitude and longitude to WGS84, radians, through Cartesian
/// coordinates and the published seven-parameter Helmert transformation (height 0).
fn helmert_osgb36_to_wgs84(lat: f64, lon: f64) -> (f64, f64) {
    // OSGB36 -> Cartesian.
    let (a, b) = (AIRY_A, AIRY_B);
    let e2 = 1.0 - (b * b) / (a * a);
    let nu = a / (1.0 - e2 * lat.sin().powi(2)).sqrt();
    let x = nu * lat.cos() * lon.cos();
    let y = nu * lat.cos() * lon.sin();
    let z = (1.0 - e2) * nu * lat.sin();
    // OSGB36 -> WGS84: the guide's WGS84 -> OSGB36 parameters with their signs reversed.
    let (tx, ty, tz) = (446.448, -125.157, 542.060);
    let s = -20.4894e-6;
    let arcsec = |v: f64| (v / 3600.0_f64).to_radians();
    let (rx, ry, rz) = (arcsec(0.1502), arcsec(0.2470), arcsec(0.8421));
    let x2 = tx + (1.0 + s) * x - rz * y + ry * z;
    let y2 = ty + rz * x + (1.0 + s) * y - rx * z;
    let z2 = tz - ry * x + rx * y + (1.0 + s) * z;
    // Cartesian -> WGS84 (GRS80 ellipsoid), iterating on latitude.
    let (a, b) = (6_378_137.0, 6_356_752.314_245);
    let e2 = 1.0 - (b * b) / (a * a);
    let p = (x2 * x2 + y2 * y2).sqrt();
    let mut phi = z2.atan2(p * (1.0 - e2));
    for _ in 0..10 {
        let nu = a / (1.0 - e2 * phi.sin().powi(2)).sqrt();
        phi = (z2 + e2 * nu * phi.sin()).atan2(p);
    }
    (phi, y2.atan2(x2))
}

/// Great-circle distance between two WGS84 positions, in metres (haversine on the
/// mean Earth radius: within 0.5 % of the ellipsoidal distance).
pub fn distance_m(a: Coordinates, b: Coordinates) -> f64 {
    let (p1, p2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let dp = p2 - p1;
    let dl = (b.longitude - a.longitude).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The OS guide's worked example (annex C): Caister Water Tower,
    /// E 651409.903 N 313177.270 is OSGB36 52°39′27.2531″N 1°43′4.5177″E.
    #[test]
    fn os_worked_example_inverse_projection() {
        let (lat, lon) = grid_to_osgb36(651_409.903, 313_177.270);
        let want_lat = 52.0 + 39.0 / 60.0 + 27.2531 / 3600.0;
        let want_lon = 1.0 + 43.0 / 60.0 + 4.5177 / 3600.0;
        assert!(
            (lat.to_degrees() - want_lat).abs() < 1e-7,
            "{}",
            lat.to_degrees()
        );
        assert!(
            (lon.to_degrees() - want_lon).abs() < 1e-7,
            "{}",
            lon.to_degrees()
        );
    }

    /// The same point's ETRS89 (= WGS84 to within a metre in Britain) position from the
    /// guide, 52°39′28.8282″N 1°42′57.8663″E: the Helmert result is within 10 m.
    #[test]
    fn grid_to_wgs84_within_metres() {
        let got = osgb36_to_wgs84(651_409.903, 313_177.270);
        let want = Coordinates {
            latitude: 52.0 + 39.0 / 60.0 + 28.8282 / 3600.0,
            longitude: 1.0 + 42.0 / 60.0 + 57.8663 / 3600.0,
        };
        let d = distance_m(got, want);
        assert!(d < 10.0, "{d} m off: {got:?}");
    }

    #[test]
    fn register_columns() {
        assert!(register_location(Some(""), Some(""), None, None).is_none());
        assert!(register_location(Some("0"), Some("0"), None, None).is_none());
        let c = register_location(None, None, Some("53.38"), Some("-2.27")).unwrap();
        assert_eq!((c.latitude, c.longitude), (53.38, -2.27));
        assert!(register_location(Some("383500"), Some("388500"), None, None).is_some());
    }

    #[test]
    fn distance_of_a_degree_of_latitude() {
        let d = distance_m(
            Coordinates {
                latitude: 53.0,
                longitude: -2.0,
            },
            Coordinates {
                latitude: 54.0,
                longitude: -2.0,
            },
        );
        assert!((d - 111_195.0).abs() < 50.0, "{d}");
    }
}
