//! Survey answer sheets → SIPAS (Chỉ số hài lòng về sự phục vụ hành chính).
