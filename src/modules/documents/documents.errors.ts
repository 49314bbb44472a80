import { DomainError, NotFoundError, ValidationError } from '../../shared/errors.js'

export type FileProblemCode =
  | 'DOCUMENT.NO_FILE'
  | 'DOCUMENT.EMPTY'
  | 'DOCUMENT.TOO_LARGE'
  | 'DOCUMENT.REQUEST_TOO_LARGE'
  | 'DOCUMENT.TYPE_NOT_ALLOWED'
  | 'DOCUMENT.TOO_MANY_FILES'
  | 'DOCUMENT.INFECTED'

/** One reason a file (or the whole upload, when `index` is null) was refused. */
export interface FileProblem {
  index: number | null
  name: string | null
  code: FileProblemCode
  message: string
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toLocaleString('vi-VN', { maximumFractionDigits: 2 })} MB`
const quoted = (name: string) => `“${name}”`

/** The Vietnamese message of each problem (shown on pages and in the API's error). */
export const problemMessage = {
  noFile: () => 'Chưa chọn tệp nào để tải lên.',
  empty: (name: string) => `Tệp ${quoted(name)} rỗng (0 byte).`,
  tooLarge: (name: string, max: number) => `Tệp ${quoted(name)} vượt quá dung lượng cho phép (tối đa ${mb(max)} mỗi tệp).`,
  requestTooLarge: (max: number) => `Tổng dung lượng các tệp gửi một lần vượt quá ${mb(max)}; hãy gửi thành nhiều lần.`,
  typeNotAllowed: (name: string) => `Tệp ${quoted(name)} không phải PDF, JPEG hoặc PNG (kiểu tệp được xác định theo nội dung, không theo tên tệp).`,
  tooMany: (max: number, existing: number) => `Mỗi hồ sơ có tối đa ${max} tệp đính kèm${existing ? ` (hồ sơ đã có ${existing} tệp)` : ''}.`,
  infected: (name: string) => `Tệp ${quoted(name)} bị phát hiện mã độc nên không được nhận.`,
}

/**
 * Refused files: every problem at once. The code is the first problem's (a single refused file
 * gives its own code, e.g. DOCUMENT.TYPE_NOT_ALLOWED); `details.files` lists each problem and
 * `details.fields[field]` their messages, for a form to show next to its file input.
 */
export class FilesRefusedError extends ValidationError {
  constructor(
    readonly problems: FileProblem[],
    field = 'files',
  ) {
    const first = problems[0]!
    super(first.code, problems.length === 1 ? first.message : `Có ${problems.length} lỗi ở tệp đính kèm.`, { files: problems, fields: { [field]: problems.map((p) => p.message) } })
  }
}

/** The upload's body ended early or could not be read. */
export class UploadIncompleteError extends ValidationError {
  constructor() {
    super('DOCUMENT.UPLOAD_INCOMPLETE', 'Tệp tải lên bị gián đoạn hoặc không đọc được; vui lòng gửi lại.')
  }
}

/** The virus scanner did not answer; the upload is refused rather than stored unchecked. */
export class ScannerUnavailableError extends DomainError {
  constructor() {
    super('unavailable', 'DOCUMENT.SCAN_UNAVAILABLE', 'Chưa kiểm tra được mã độc cho tệp tải lên, vui lòng thử lại sau ít phút.')
  }
}

export class DocumentNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('DOCUMENT.NOT_FOUND', 'Không tìm thấy tệp.', { id })
  }
}
