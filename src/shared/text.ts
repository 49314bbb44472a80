/**
 * Folds Vietnamese text for accent-insensitive matching in code ("Đặng Văn An" → "dang van an"),
 * the same folding the SQL function `vn_fold` applies in the database.
 */
export function foldVietnamese(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase()
}
