#!/usr/bin/env bash
# Render a draft .docx to PDF (LibreOffice headless) and its pages to PNG (pdftoppm), to look at the layout.
# Not a test: needs libreoffice-writer-nogui, poppler-utils and CJK fonts (fonts-noto-cjk) from the OS packages.
# The document names the official fonts (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312); where they are not
# installed, fontconfig substitutes Noto CJK faces, so shapes differ from print but the layout holds.
#
# Usage: tests/report/render_draft.sh DRAFT.docx [OUT_DIR] [FIRST_PAGE] [LAST_PAGE]
# Without a draft, one is made from the sample report: render_draft.sh --sample [OUT_DIR]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
draft="${1:-}"
out="${2:-$(mktemp -d)}"
first="${3:-1}"
last="${4:-1}"

for tool in soffice pdftoppm; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool（apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk）" >&2; exit 1; }
done
mkdir -p "$out"

if [[ -z "$draft" || "$draft" == "--sample" ]]; then
  # A draft from the sample report with a year of records (the tests' scenario).
  db="$out/sample.db"
  rm -f "$db"
  export TRACKER_USER="${TRACKER_USER:-tester}"
  tracker --db "$db" import "$root/../shared/reports/2021-zibo-gaoxin-fazhi-report.txt" >/dev/null
  (cd "$root" && python -c "import sys; from tests.report.conftest import record_year; record_year(sys.argv[1])" "sqlite:///$db")
  draft="$out/draft.docx"
  tracker --db "$db" draft --plan 2022 --as-of 2023-01-10 --out "$draft"
fi

# A private LibreOffice profile: no clash with a running office, no first-start dialogs.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# The official faces are rarely installed on Linux; map each to the nearest Noto CJK face (serif for 仿宋/楷体/小标宋,
# sans for 黑体) so the render shows the contrast between title, headings and body. The .docx is not changed.
cat > "$profile/fonts.conf" <<'CONF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>方正小标宋简体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>楷体_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <match target="pattern">
    <test name="family"><string>方正小标宋简体</string></test>
    <edit name="weight" mode="assign"><const>bold</const></edit>
  </match>
</fontconfig>
CONF
export FONTCONFIG_FILE="$profile/fonts.conf"
soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$out" "$draft" >/dev/null
pdf="$out/$(basename "${draft%.*}").pdf"
pdftoppm -png -r 80 -f "$first" -l "$last" "$pdf" "$out/page"
ls "$out"/page*.png
