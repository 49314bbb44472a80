import type { PortalFaults, PortalSimStats, SimDossier, SimSubmission } from './portal-sim.types.js'

const esc = (s: string | number | undefined) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The simulator's page: what it holds, per dossier, and its faults (a plain page: a local tool). */
export function renderSimPage(s: { stats: PortalSimStats; faults: PortalFaults; dossiers: Record<string, SimDossier>; submissions: SimSubmission[] }): string {
  const rows = Object.entries(s.dossiers)
    .map(
      ([code, d]) => `<section><h2>${esc(code)} — trạng thái ${esc(d.record.TrangThaiHoSo)}</h2>
<p>${esc(d.record.TenTTHC)} · ${esc(d.record.ChuHoSo)} · ${d.updates} lần cập nhật</p>
<table><thead><tr><th>#</th><th>Thời điểm</th><th>Trạng thái</th><th>Người xử lý</th><th>Chức danh</th><th>Đơn vị</th><th>Nội dung</th><th>Hạn bước</th></tr></thead><tbody>
${d.events.map((e, i) => `<tr><td>${i + 1}</td><td>${esc(e.ThoiDiemXuLy)}</td><td>${esc(e.TrangThai)}</td><td>${esc(e.NguoiXuLy)}</td><td>${esc(e.ChucDanh)}</td><td>${esc(e.PhongBanXuLy)}</td><td>${esc(e.NoiDungXuLy)}</td><td>${esc(e.NgayKetThucTheoQuyDinh)}</td></tr>`).join('\n')}
</tbody></table></section>`,
    )
    .join('\n')
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng DVCQG mô phỏng</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem 2rem}table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left}</style></head>
<body><h1>Cổng Dịch vụ công quốc gia (mô phỏng) / National portal simulator</h1>
<p>Lệnh gọi ${s.stats.calls} · chấp nhận ${s.stats.accepted} · từ chối ${s.stats.rejected} · sự kiện nhận ${s.stats.eventsReceived} · <strong>bản trùng đã lưu ${s.stats.duplicatesStored}</strong></p>
<p>Lỗi giả lập / faults: <code>${esc(JSON.stringify(s.faults))}</code> — đặt qua <code>POST /sim/api/faults</code>; dữ liệu JSON: <a href="/sim/api/state">/sim/api/state</a></p>
<p>Hồ sơ chờ tiếp nhận / offered for intake: ${s.submissions.filter((x) => !x.acknowledged).length} (thêm qua <code>POST /sim/api/submissions</code>)</p>
${rows || '<p>Chưa có hồ sơ.</p>'}
</body></html>`
}
