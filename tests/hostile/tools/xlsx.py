"""Small, hand-made spreadsheets for the hostile suite (tests/hostile/c*-xlsx-*, c*-ods-*).

Each function writes exactly the bytes a case needs — a zip whose directory lies about a
part's size, a sheet whose dimension claims XFD1048576, a hidden sheet, a formula without
a saved result — so the case folders stay a few KB. Run from the repository root:

    python3 tests/hostile/tools/xlsx.py          # rewrites every generated input

Only the Python standard library is used (zipfile, zlib, struct).
"""

import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

HOSTILE = Path(__file__).resolve().parent.parent

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def col_letters(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def cell(r, c, v, formula=None, cached=True):
    """One <c> element; r, c 0-based. Numbers as numbers, text inline."""
    ref = f"{col_letters(c)}{r + 1}"
    if formula is not None:
        val = f"<v>{v}</v>" if cached else ""
        return f'<c r="{ref}"><f>{escape(formula)}</f>{val}</c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(v)}</t></is></c>'


def sheet_xml(rows, dimension=None, extra_cells=""):
    """rows: list of lists (None = blank) or of raw '<c …>' strings."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">']
    if dimension:
        out.append(f'<dimension ref="{dimension}"/>')
    out.append("<sheetData>")
    for r, row in enumerate(rows):
        cells = []
        for c, v in enumerate(row):
            if v is None:
                continue
            cells.append(v if isinstance(v, str) and v.startswith("<c ") else cell(r, c, v))
        out.append(f'<row r="{r + 1}">{"".join(cells)}</row>')
    out.append(extra_cells)
    out.append("</sheetData></worksheet>")
    return "".join(out)


def workbook_parts(sheets, shared_strings=None):
    """sheets: list of (name, sheet_xml, state or None). Returns [(part name, bytes)]."""
    parts = []
    ct = ['<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>']
    for i in range(len(sheets)):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    if shared_strings is not None:
        ct.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    ct.append("</Types>")
    parts.append(("[Content_Types].xml", "".join(ct)))
    parts.append(("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
    wb = [f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>']
    rels = [f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">']
    for i, (name, _, state) in enumerate(sheets):
        st = f' state="{state}"' if state else ""
        wb.append(f'<sheet name="{escape(name)}" sheetId="{i + 1}"{st} r:id="rId{i + 1}"/>')
        rels.append(f'<Relationship Id="rId{i + 1}" Type="{REL}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>')
    if shared_strings is not None:
        rels.append(f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
    wb.append("</sheets></workbook>")
    rels.append("</Relationships>")
    parts.append(("xl/workbook.xml", "".join(wb)))
    parts.append(("xl/_rels/workbook.xml.rels", "".join(rels)))
    for i, (_, xml, _) in enumerate(sheets):
        parts.append((f"xl/worksheets/sheet{i + 1}.xml", xml))
    if shared_strings is not None:
        parts.append(("xl/sharedStrings.xml", shared_strings))
    return [(n, d.encode("utf-8") if isinstance(d, str) else d) for n, d in parts]


def write_zip(path, parts, level=9):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return path


def patch_size(path, part, new_size):
    """Rewrites the uncompressed size of `part` in its local header and in the central
    directory (the CRC and the data stay those of the real content)."""
    data = bytearray(Path(path).read_bytes())
    name = part.encode()
    # Central directory headers: signature, then fields; uncompressed size at +24.
    i = 0
    while True:
        i = data.find(b"PK\x01\x02", i)
        if i < 0:
            break
        n = struct.unpack_from("<H", data, i + 28)[0]
        if data[i + 46:i + 46 + n] == name:
            struct.pack_into("<I", data, i + 24, new_size)
            off = struct.unpack_from("<I", data, i + 42)[0]
            struct.pack_into("<I", data, off + 22, new_size)
        i += 4
    Path(path).write_bytes(bytes(data))


def patch_eocd_entries(path, entries):
    data = bytearray(Path(path).read_bytes())
    i = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, i + 8, entries, entries)
    Path(path).write_bytes(bytes(data))


def zip64_claim(path, entries):
    """Appends nothing but rewrites the end record as zip64 markers pointing to a zip64
    record that claims `entries` parts."""
    data = bytearray(Path(path).read_bytes())
    i = data.rfind(b"PK\x05\x06")
    cd_size, cd_off = struct.unpack_from("<II", data, i + 12)
    z64 = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, cd_size, cd_off)
    loc = struct.pack("<4sIQI", b"PK\x06\x07", 0, i, 1)
    eocd = bytearray(data[i:])
    struct.pack_into("<HH", eocd, 8, 0xFFFF, 0xFFFF)
    Path(path).write_bytes(bytes(data[:i]) + z64 + loc + bytes(eocd))


def ods(path, tables):
    """A minimal OpenDocument spreadsheet; tables: [(name, rows_xml)]."""
    body = "".join(f'<table:table table:name="{escape(n)}">{rows}</table:table>' for n, rows in tables)
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2">'
               f'<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", date_time=(2026, 1, 1, 0, 0, 0)), "application/vnd.oasis.opendocument.spreadsheet")
        for name, data in [("META-INF/manifest.xml", manifest), ("content.xml", content)]:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return path


def ods_cell(v, formula=None, cached=True, repeat=None):
    rep = f' table:number-columns-repeated="{repeat}"' if repeat else ""
    if formula is not None:
        val = f' office:value-type="float" office:value="{v}"' if cached else ""
        return f'<table:table-cell table:formula="of:={escape(formula)}"{val}{rep}/>'
    if v is None:
        return f"<table:table-cell{rep}/>"
    if isinstance(v, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{v}"{rep}><text:p>{v}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"{rep}><text:p>{escape(v)}</text:p></table:table-cell>'


def ods_rows(rows, repeat_last=None):
    out = []
    for row in rows:
        out.append("<table:table-row>" + "".join(c if isinstance(c, str) and c.startswith("<table:") else ods_cell(c) for c in row) + "</table:table-row>")
    return "".join(out)


# ------------------------------------------------------------------ criteria tables

HEADER = ["STT", "Tiêu chí", "Điểm tối đa", "Cách chấm điểm"]
ROWS = [
    ["1", "Công tác chỉ đạo, điều hành", 3, None],
    ["1.1", "Ban hành kế hoạch CCHC năm", 1, "Ban hành kịp thời: 1 / Ban hành không kịp thời: 0,5 / Không ban hành: 0"],
    ["1.2", "Mức độ thực hiện kế hoạch", 2, "Hoàn thành 100% kế hoạch: 2 điểm; từ 80% đến dưới 100%: 1 điểm; dưới 80%: 0 điểm"],
]


def table(rows=None):
    return [HEADER] + (ROWS if rows is None else rows)


def case(name):
    return HOSTILE / name


def main():
    # ---- c2: resources
    p = write_zip(case("c2-xlsx-bomb-declared") / "bang.xlsx",
                  workbook_parts([("Phụ lục", sheet_xml(table()), None)]))
    patch_size(p, "xl/worksheets/sheet1.xml", 3 << 30)

    p = write_zip(case("c2-xlsx-bomb-lying") / "bang.xlsx",
                  workbook_parts([("Phụ lục", sheet_xml(table(), extra_cells=" " * (4 << 20)), None)]))
    patch_size(p, "xl/worksheets/sheet1.xml", 2000)

    write_zip(case("c2-xlsx-bomb-ratio") / "bang.xlsx",
              workbook_parts([("Phụ lục", sheet_xml(table(), extra_cells=" " * (12 << 20)), None)]))

    parts = workbook_parts([("Phụ lục", sheet_xml(table()), None)])
    parts += [(f"xl/media/pad{i}.bin", b"\0" * 1024) for i in range(3)]
    p = write_zip(case("c2-xlsx-bomb-total") / "bang.xlsx", parts)
    for i in range(3):
        patch_size(p, f"xl/media/pad{i}.bin", 200 << 20)

    p = write_zip(case("c2-xlsx-zip-entries") / "bang.xlsx",
                  workbook_parts([("Phụ lục", sheet_xml(table()), None)]))
    patch_eocd_entries(p, 65535)

    p = write_zip(case("c2-xlsx-zip64-entries") / "bang.xlsx",
                  workbook_parts([("Phụ lục", sheet_xml(table()), None)]))
    zip64_claim(p, 1 << 40)

    far = cell(1_048_575, 16_383, "lạc")
    write_zip(case("c2-xlsx-dimension-xfd") / "bang.xlsx",
              workbook_parts([("Phụ lục", sheet_xml(table(), dimension="A1:XFD1048576", extra_cells=f'<row r="1048576">{far}</row>'), None)]))

    write_zip(case("c2-xlsx-dimension-claim") / "bang.xlsx",
              workbook_parts([("Phụ lục", sheet_xml(table(), dimension="A1:XFD1048576"), None)]))

    far = cell(1_048_575, 1, "Ghi chú lạc ở dòng cuối cùng của trang")
    write_zip(case("c2-xlsx-last-row") / "bang.xlsx",
              workbook_parts([("Phụ lục", sheet_xml(table(), extra_cells=f'<row r="1048576">{far}</row>'), None)]))

    wide = "".join(cell(5, c, "x") for c in range(0, 1100))
    write_zip(case("c2-xlsx-columns") / "bang.xlsx",
              workbook_parts([("Phụ lục", sheet_xml(table(), extra_cells=f'<row r="6">{wide}</row>'), None)]))

    long_text = "Ghi chú rất dài " * 2500
    write_zip(case("c2-xlsx-cell-text") / "bang.xlsx",
              workbook_parts([("Phụ lục", sheet_xml(table([ROWS[0], ROWS[1] , ["1.2", long_text, 2, "Đạt: 2 / Không đạt: 0"]])), None)]))

    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="4000000000" uniqueCount="4000000000"><si><t>STT</t></si></sst>'
    write_zip(case("c2-xlsx-shared-strings-count") / "bang.xlsx",
              workbook_parts([("Phụ lục", sheet_xml(table()), None)], shared_strings=sst))

    many = [(f"Trang {i}", sheet_xml(table()), None) for i in range(1)]
    parts = workbook_parts(many)
    wb = [f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>']
    for i in range(1001):
        wb.append(f'<sheet name="Trang {i + 1}" sheetId="{i + 1}" r:id="rId1"/>')
    wb.append("</sheets></workbook>")
    parts = [(n, "".join(wb).encode() if n == "xl/workbook.xml" else d) for n, d in parts]
    write_zip(case("c2-xlsx-sheets") / "bang.xlsx", parts)

    attrs = " ".join(f'a{i}="{i}"' for i in range(300))
    xml = sheet_xml(table()).replace("<sheetData>", f"<sheetPr {attrs}/><sheetData>")
    write_zip(case("c2-xlsx-attributes") / "bang.xlsx", workbook_parts([("Phụ lục", xml, None)]))

    # ---- c4: duplicates
    header = ["STT", "Tiêu chí", "Điểm tối đa", "Cách chấm điểm", "Điểm tối đa"]
    rows = [header] + [r + [r[2]] for r in ROWS]
    write_zip(case("c4-xlsx-duplicate-max-column") / "bang.xlsx",
              workbook_parts([("Phụ lục", sheet_xml(rows), None)]))

    parts = workbook_parts([("Phụ lục", sheet_xml(table()), None)])
    parts.append(("xl/worksheets/sheet1.xml", sheet_xml(table([["1", "Tiêu chí khác", 9, None]])).encode()))
    write_zip(case("c4-xlsx-duplicate-part") / "bang.xlsx", parts)

    xml = sheet_xml(table()).replace("</sheetData>", f'<row r="3">{cell(2, 2, 7)}</row></sheetData>')
    write_zip(case("c4-xlsx-duplicate-cell") / "bang.xlsx", workbook_parts([("Phụ lục", xml, None)]))

    # ---- c5: silently wrong
    visible = ("Phụ lục", sheet_xml(table()), None)
    draft = ("Bản nháp", sheet_xml(table([["2", "Tiêu chí ẩn trên trang nháp", 5, "Đạt: 5 / Không đạt: 0"]])), "hidden")
    write_zip(case("c5-xlsx-hidden-sheet") / "bang.xlsx", workbook_parts([visible, draft]))
    draft = ("Ẩn sâu", draft[1], "veryHidden")
    write_zip(case("c5-xlsx-very-hidden-sheet") / "bang.xlsx", workbook_parts([visible, draft]))

    rows = table()
    rows[1] = ["1", "Công tác chỉ đạo, điều hành", cell(1, 2, "", formula="SUM(C3:C4)", cached=False), None]
    write_zip(case("c5-xlsx-formula-no-value") / "bang.xlsx", workbook_parts([("Phụ lục", sheet_xml(rows), None)]))
    rows[1] = ["1", "Công tác chỉ đạo, điều hành", cell(1, 2, 3, formula="SUM(C3:C4)", cached=True), None]
    write_zip(case("c5-xlsx-formula-cached") / "bang.xlsx", workbook_parts([("Phụ lục", sheet_xml(rows), None)]))

    # ---- .ods
    rows = table()
    rows[1] = ["1", "Công tác chỉ đạo, điều hành", ods_cell(None, formula="SUM([.C3:.C4])", cached=False), None]
    ods(case("c5-ods-formula-no-value") / "bang.ods", [("Phụ lục", ods_rows(rows))])
    ods(case("c0-ods-criteria-table") / "bang.ods", [("Phụ lục", ods_rows(table()))])
    big = ('<table:table-row table:number-rows-repeated="1000000">'
           f'{ods_cell("x", repeat=1000)}</table:table-row>')
    ods(case("c2-ods-repeat") / "bang.ods", [("Phụ lục", ods_rows(table()) + big)])
    spaces = '<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="4000000000"/>b</text:p></table:table-cell></table:table-row>'
    ods(case("c2-ods-spaces") / "bang.ods", [("Phụ lục", ods_rows(table()) + spaces)])

    # ---- read-form: a form with one criterion on two rows
    form = [["Đơn vị:", "Sở A"], [], [], ["STT", "Tiêu chí", "Tự chấm: giá trị"],
            ["1.1", "Ban hành kế hoạch CCHC năm", "Ban hành kịp thời"],
            ["1.2", "Mức độ thực hiện kế hoạch", 90],
            ["1.1", "Ban hành kế hoạch CCHC năm", "Không ban hành"]]
    form = [[c for c in r] for r in form]
    write_zip(case("c4-xlsx-form-duplicate-row") / "phieu.xlsx", workbook_parts([("Phiếu chấm", sheet_xml(form), None)]))
    form[6] = ["1.3", "Tiêu chí không có", "abc"]
    form[5] = ["1.2", "Mức độ thực hiện kế hoạch", "chín mươi"]
    write_zip(case("c8-xlsx-form-cell-location") / "phieu.xlsx", workbook_parts([("Phiếu chấm", sheet_xml(form), None)]))

    # ---- records: a dossier export whose first sheet is hidden, and one with a stray far cell
    head = ["MaHoSo", "MaTTHC", "DonViXuLy", "KenhThucHien", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "TrangThaiHoSo"]
    rows = [head, ["Z99.10-2026-0001", "1.000001.MAU", "Z99.10", 2, "20260205073000", "20260206073000", "20260205073000", 10]]
    far = cell(1_048_575, 16_383, "lạc")
    write_zip(case("c2-xlsx-records-dimension") / "hoso.xlsx",
              workbook_parts([("HoSo", sheet_xml(rows, dimension="A1:XFD1048576", extra_cells=f'<row r="1048576">{far}</row>'), None)]))
    write_zip(case("c5-xlsx-records-hidden-first-sheet") / "hoso.xlsx",
              workbook_parts([("Cũ (ẩn)", sheet_xml([head, ["Z99.10-2025-0001", "1.000001.MAU", "Z99.10", 2, "20250205073000", "20250206073000", "20250205073000", 10]]), "hidden"),
                              ("HoSo", sheet_xml(rows), None)]))

    # ---- .xls: a compound-file header claiming 4 billion FAT sectors (calamine would
    # reserve 16 GB before reading one); chiso refuses the format by name.
    cfb = bytearray(512)
    cfb[:8] = bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    cfb[30], cfb[32] = 9, 6
    struct.pack_into("<I", cfb, 44, 0xFFFFFFFF)
    d = case("c2-xlsx-legacy-xls")
    d.mkdir(parents=True, exist_ok=True)
    (d / "bang.xls").write_bytes(bytes(cfb))

    # ---- c8: wording
    rows = table()
    rows[3] = ["1.2", "Mức độ thực hiện kế hoạch", "hai", "Đạt: 2 / Không đạt: 0"]
    write_zip(case("c8-xlsx-cell-location") / "bang.xlsx", workbook_parts([("Phụ lục", sheet_xml(rows), None)]))


if __name__ == "__main__":
    main()
