//! Screenshots read from the X display the window is on (Xvfb in the tests):
//! the pixels a user would see.
//!
//! WebDriver's own screenshot waits for a composited frame, and WebKitGTK never
//! delivers one when it renders without DMA-BUF buffers, which is how Appdesk
//! runs on Linux (see `src-tauri/src/main.rs`); that screenshot would hang.

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, ImageFormat, ImageOrder, MapState};

/// A PNG of the largest window shown on the display in `$DISPLAY` (the app's,
/// as the tests run no other); an error if no window is shown. Given the
/// page's size, only the page is kept: the native menu bar above it is not
/// part of the page ([`page_area`]).
pub fn capture_png(page: Option<(u16, u16)>) -> Result<Vec<u8>, String> {
    let (conn, screen_num) =
        x11rb::connect(None).map_err(|e| format!("connect to the X display: {e}"))?;
    let setup = conn.setup();
    let screen = &setup.roots[screen_num];
    let x11 = |e: &dyn std::fmt::Display| format!("X11: {e}");

    let area = largest_window(&conn, screen)?.map(|(_, area)| area);
    let area = area.ok_or("no window is shown on the X display")?;
    let (x, y, width, height) = page.map_or(area, |(w, h)| page_area(area, w, h));

    let format = setup
        .pixmap_formats
        .iter()
        .find(|f| f.depth == screen.root_depth)
        .ok_or("X11: no pixmap format for the screen's depth")?;
    let visual = screen
        .allowed_depths
        .iter()
        .flat_map(|d| &d.visuals)
        .find(|v| v.visual_id == screen.root_visual)
        .ok_or("X11: the screen's visual is not listed")?;
    let bgrx = format.bits_per_pixel == 32
        && setup.image_byte_order == ImageOrder::LSB_FIRST
        && (visual.red_mask, visual.green_mask, visual.blue_mask) == (0xff_0000, 0xff00, 0xff);
    if !bgrx {
        return Err(format!(
            "X11: {} bits per pixel, {:?} byte order, masks {:#x}/{:#x}/{:#x}; \
             only 32-bit little-endian 8-8-8 RGB is read",
            format.bits_per_pixel,
            setup.image_byte_order,
            visual.red_mask,
            visual.green_mask,
            visual.blue_mask
        ));
    }
    let image = conn
        .get_image(ImageFormat::Z_PIXMAP, screen.root, x, y, width, height, !0)
        .map_err(|e| x11(&e))?
        .reply()
        .map_err(|e| x11(&e))?;
    let rgb = bgrx_to_rgb(&image.data, width, height);

    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, u32::from(width), u32::from(height));
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(&rgb))
        .map_err(|e| format!("encode the PNG: {e}"))?;
    Ok(png)
}

type Area = (i16, i16, u16, u16);

/// The largest window shown on `screen` (the app's, as the tests run no other),
/// with the part of it on the screen.
fn largest_window(
    conn: &impl Connection,
    screen: &x11rb::protocol::xproto::Screen,
) -> Result<Option<(u32, Area)>, String> {
    let x11 = |e: &dyn std::fmt::Display| format!("X11: {e}");
    let mut area = None;
    let tree = conn
        .query_tree(screen.root)
        .map_err(|e| x11(&e))?
        .reply()
        .map_err(|e| x11(&e))?;
    let mut largest = 0u32;
    for window in tree.children {
        let shown = conn
            .get_window_attributes(window)
            .map_err(|e| x11(&e))?
            .reply()
            .is_ok_and(|a| a.map_state == MapState::VIEWABLE);
        let Ok(g) = conn.get_geometry(window).map_err(|e| x11(&e))?.reply() else {
            continue;
        };
        let Some(on_screen) = clip(
            (g.x, g.y, g.width, g.height),
            screen.width_in_pixels,
            screen.height_in_pixels,
        ) else {
            continue;
        };
        let size = u32::from(on_screen.2) * u32::from(on_screen.3);
        if shown && size > largest {
            largest = size;
            area = Some((window, on_screen));
        }
    }
    Ok(area)
}

/// The title (`_NET_WM_NAME`) of the largest window shown on the display.
pub fn window_title() -> Result<String, String> {
    let (conn, screen_num) =
        x11rb::connect(None).map_err(|e| format!("connect to the X display: {e}"))?;
    let screen = &conn.setup().roots[screen_num];
    let x11 = |e: &dyn std::fmt::Display| format!("X11: {e}");
    let (window, _) = largest_window(&conn, screen)?.ok_or("no window is shown")?;
    let atom = |name: &[u8]| -> Result<u32, String> {
        Ok(conn
            .intern_atom(false, name)
            .map_err(|e| x11(&e))?
            .reply()
            .map_err(|e| x11(&e))?
            .atom)
    };
    let (name, utf8) = (atom(b"_NET_WM_NAME")?, atom(b"UTF8_STRING")?);
    let reply = conn
        .get_property(false, window, name, utf8, 0, 1024)
        .map_err(|e| x11(&e))?
        .reply()
        .map_err(|e| x11(&e))?;
    String::from_utf8(reply.value).map_err(|e| format!("the title is not UTF-8: {e}"))
}

/// RGB bytes from a Z-pixmap image of 32-bit pixels (B, G, R, unused), whose
/// rows may be padded past `width` pixels.
fn bgrx_to_rgb(data: &[u8], width: u16, height: u16) -> Vec<u8> {
    let (width, height) = (usize::from(width), usize::from(height));
    let stride = data.len() / height.max(1);
    let mut rgb = Vec::with_capacity(width * height * 3);
    for row in data.chunks(stride.max(1)).take(height) {
        for px in row.chunks_exact(4).take(width) {
            rgb.extend_from_slice(&[px[2], px[1], px[0]]);
        }
    }
    rgb
}

/// The web page's part of the window's `area`: the window holds the native
/// menu bar (at most this many pixels) above the page, as wide as the page.
/// Any other difference is left for the caller to report.
const MENU_BAR_AT_MOST: u16 = 64;

fn page_area(area: Area, page_w: u16, page_h: u16) -> Area {
    let (x, y, w, h) = area;
    let above = h.saturating_sub(page_h);
    if w == page_w && h > page_h && above <= MENU_BAR_AT_MOST {
        (x, y.saturating_add_unsigned(above), w, page_h)
    } else {
        area
    }
}

/// The part of `area` (x, y, width, height) that lies on a screen of the given
/// size, or None if none of it does.
fn clip(area: (i16, i16, u16, u16), screen_w: u16, screen_h: u16) -> Option<(i16, i16, u16, u16)> {
    let (x, y, w, h) = area;
    let x0 = x.max(0);
    let y0 = y.max(0);
    let right = (i32::from(x) + i32::from(w)).min(i32::from(screen_w));
    let bottom = (i32::from(y) + i32::from(h)).min(i32::from(screen_h));
    let width = u16::try_from(right - i32::from(x0))
        .ok()
        .filter(|w| *w > 0)?;
    let height = u16::try_from(bottom - i32::from(y0))
        .ok()
        .filter(|h| *h > 0)?;
    Some((x0, y0, width, height))
}

#[cfg(test)]
mod tests {
    use super::{bgrx_to_rgb, clip, page_area};

    #[test]
    fn the_page_is_the_window_below_its_menu_bar() {
        assert_eq!(page_area((0, 0, 1200, 800), 1200, 775), (0, 25, 1200, 775));
        assert_eq!(page_area((0, 0, 1200, 800), 1200, 800), (0, 0, 1200, 800));
        // Not a menu bar's difference: left as it is, for the caller to report.
        assert_eq!(page_area((0, 0, 1200, 800), 1100, 775), (0, 0, 1200, 800));
        assert_eq!(page_area((0, 0, 1200, 800), 1200, 500), (0, 0, 1200, 800));
    }

    #[test]
    fn an_area_is_clipped_to_the_screen() {
        assert_eq!(clip((0, 0, 1200, 800), 1400, 1000), Some((0, 0, 1200, 800)));
        assert_eq!(
            clip((-10, -5, 1200, 800), 1400, 1000),
            Some((0, 0, 1190, 795))
        );
        assert_eq!(
            clip((300, 400, 1200, 800), 1400, 1000),
            Some((300, 400, 1100, 600))
        );
        assert_eq!(clip((1500, 0, 100, 100), 1400, 1000), None);
        assert_eq!(clip((-200, 0, 100, 100), 1400, 1000), None);
    }

    #[test]
    fn pixels_become_rgb_and_row_padding_is_dropped() {
        // Two rows of two pixels, each row padded with one unused pixel.
        let data = [
            1, 2, 3, 0, 4, 5, 6, 0, 9, 9, 9, 9, //
            7, 8, 9, 0, 10, 11, 12, 0, 9, 9, 9, 9,
        ];
        assert_eq!(
            bgrx_to_rgb(&data, 2, 2),
            [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10]
        );
    }
}
