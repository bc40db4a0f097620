//! Screenshots read from the X display the window is on (Xvfb in the tests):
//! the pixels a user would see.
//!
//! WebDriver's own screenshot waits for a composited frame, and WebKitGTK never
//! delivers one when it renders without DMA-BUF buffers, which is how Appdesk
//! runs on Linux (see `src-tauri/src/main.rs`); that screenshot would hang.

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, ImageFormat, ImageOrder, MapState};

/// A PNG of the largest window shown on the display in `$DISPLAY` (the app's,
/// as the tests run no other), or of the whole screen if none is shown.
pub fn capture_png() -> Result<Vec<u8>, String> {
    let (conn, screen_num) =
        x11rb::connect(None).map_err(|e| format!("connect to the X display: {e}"))?;
    let setup = conn.setup();
    let screen = &setup.roots[screen_num];
    let x11 = |e: &dyn std::fmt::Display| format!("X11: {e}");

    let mut area = (0, 0, screen.width_in_pixels, screen.height_in_pixels);
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
        let size = u32::from(g.width) * u32::from(g.height);
        if shown && size > largest {
            largest = size;
            area = (g.x, g.y, g.width, g.height);
        }
    }
    let (x, y, width, height) = clip(area, screen.width_in_pixels, screen.height_in_pixels);

    let format = setup
        .pixmap_formats
        .iter()
        .find(|f| f.depth == screen.root_depth)
        .ok_or("X11: no pixmap format for the screen's depth")?;
    if format.bits_per_pixel != 32 || setup.image_byte_order != ImageOrder::LSB_FIRST {
        return Err(format!(
            "X11: {} bits per pixel in {:?} order; only 32-bit little-endian is read",
            format.bits_per_pixel, setup.image_byte_order
        ));
    }
    let image = conn
        .get_image(ImageFormat::Z_PIXMAP, screen.root, x, y, width, height, !0)
        .map_err(|e| x11(&e))?
        .reply()
        .map_err(|e| x11(&e))?;
    // Each pixel is B, G, R, unused; rows are padded to the scanline unit.
    let stride = image.data.len() / usize::from(height.max(1));
    let mut rgb = Vec::with_capacity(usize::from(width) * usize::from(height) * 3);
    for row in image.data.chunks(stride).take(usize::from(height)) {
        for px in row.chunks_exact(4).take(usize::from(width)) {
            rgb.extend_from_slice(&[px[2], px[1], px[0]]);
        }
    }

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

/// The part of `area` (x, y, width, height) that lies on a screen of the given size.
fn clip(area: (i16, i16, u16, u16), screen_w: u16, screen_h: u16) -> (i16, i16, u16, u16) {
    let (x, y, w, h) = area;
    let x0 = x.max(0);
    let y0 = y.max(0);
    let right = (i32::from(x) + i32::from(w)).min(i32::from(screen_w));
    let bottom = (i32::from(y) + i32::from(h)).min(i32::from(screen_h));
    let width = u16::try_from((right - i32::from(x0)).max(1)).unwrap_or(screen_w);
    let height = u16::try_from((bottom - i32::from(y0)).max(1)).unwrap_or(screen_h);
    (x0, y0, width, height)
}

#[cfg(test)]
mod tests {
    use super::clip;

    #[test]
    fn an_area_is_clipped_to_the_screen() {
        assert_eq!(clip((0, 0, 1200, 800), 1400, 1000), (0, 0, 1200, 800));
        assert_eq!(clip((-10, -5, 1200, 800), 1400, 1000), (0, 0, 1190, 795));
        assert_eq!(
            clip((300, 400, 1200, 800), 1400, 1000),
            (300, 400, 1100, 600)
        );
    }
}
