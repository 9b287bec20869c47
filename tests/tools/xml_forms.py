"""E-forms for the XML signing tests: an e-invoice in the national layout (HDon / DLHDon Id=… /
DSCKS), generated here so the tests need no shared file. `einvoice(items=40)` is about 15 KB."""


def einvoice(items=40, invoice_id="Id-0001", with_seller_slot=True):
    rows = "".join(
        f"<HHDVu><TChat>1</TChat><STT>{i}</STT><MHHDVu>HH{i:04d}</MHHDVu>"
        f"<THHDVu>Dịch vụ tư vấn hồ sơ số {i}</THHDVu><DVTinh>Gói</DVTinh><SLuong>{i}</SLuong>"
        f"<DGia>150000</DGia><TLCKhau>0</TLCKhau><STCKhau>0</STCKhau><ThTien>{150000 * i}</ThTien><TSuat>10%</TSuat></HHDVu>"
        for i in range(1, items + 1))
    total = sum(150000 * i for i in range(1, items + 1))
    slot = "<DSCKS><NBan/><NMua/><CCKSKhac/></DSCKS>" if with_seller_slot else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<HDon><DLHDon Id="{invoice_id}"><TTChung><PBan>2.0.1</PBan><THDon>HÓA ĐƠN GIÁ TRỊ GIA TĂNG</THDon>'
        "<KHMSHDon>1</KHMSHDon><KHHDon>C26TAA</KHHDon><SHDon>1</SHDon><NLap>2026-06-20</NLap><DVTTe>VND</DVTTe>"
        "<TGia>1</TGia><HTTToan>TM/CK</HTTToan></TTChung><NDHDon>"
        "<NBan><Ten>CÔNG TY TNHH THỬ NGHIỆM KÝ SỐ</Ten><MST>0100000001</MST>"
        "<DChi>Số 1 Phố Thử, Phường Điện Biên, Quận Ba Đình, Hà Nội</DChi></NBan>"
        "<NMua><Ten>Bộ phận một cửa</Ten><MST>0100000002</MST><DChi>Hà Nội</DChi></NMua>"
        f"<DSHHDVu>{rows}</DSHHDVu><TToan><TgTCThue>{total}</TgTCThue><TgTThue>{total // 10}</TgTThue>"
        f"<TgTTTBSo>{total + total // 10}</TgTTTBSo><TgTTTBChu>Theo số</TgTTTBChu></TToan></NDHDon></DLHDon>"
        f"{slot}</HDon>\n").encode("utf-8")
