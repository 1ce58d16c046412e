//! Dossier records (hồ sơ TTHC) → QĐ 766 indicators: reading DVC exports with the national
//! sync field names, judging each dossier under named policies, counting numerators and
//! denominators per unit and period, and explaining which dossier cost which point.
