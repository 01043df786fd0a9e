//! Helpers the integration tests share.

use std::path::Path;
use std::process::Command;

/// Copy a fixture site (or any tree) so a test can change it.
#[allow(dead_code)] // not every test binary copies fixtures
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// `warcio check -v` (an independent WARC reader) on every file; false
/// when warcio is not installed (`.ci/run` installs it).
#[allow(dead_code)] // not every test binary checks archives
pub fn warcio_checks(files: &[std::path::PathBuf]) -> bool {
    let has_warcio = Command::new("python3")
        .args(["-c", "import warcio"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has_warcio {
        eprintln!("note: python warcio not installed; .ci/run installs it");
        return false;
    }
    for file in files {
        let out = Command::new("python3")
            .args(["-m", "warcio.cli", "check", "-v"])
            .arg(file)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "warcio check failed on {}: {text}",
            file.display()
        );
        assert!(text.contains("digest pass"), "{text}");
        assert!(!text.contains("digest fail"), "{text}");
    }
    true
}

/// The fixture sites whose lists only a browser can read (issue 14).
#[allow(dead_code)] // only the render test binaries use them
pub const RENDER_SITES: [&str; 3] = [
    "render_vue_app_huachuan",
    "render_post_pager_suileng",
    "render_template_links_longjiang",
];

/// Where [`RENDER_SITES`] live.
#[allow(dead_code)] // only the render test binaries use it
pub fn render_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/render")
}
