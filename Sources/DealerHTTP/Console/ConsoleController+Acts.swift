import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The accountant's acts: a period's acts by status, each act with our lines and, when disputed,
/// the dealer's figures beside ours; the printable page; a CSV of the list. The same reads as
/// `GET /v1/reconciliation-acts`.
extension ConsoleController {
    static let actReaders: Set<Role> = [.admin, .manager, .accountant, .viewer]

    func actList(_ session: ConsoleSession, request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let periodText = query.get("period") ?? ""
        let period = PlanPeriod(parsing: periodText) ?? PlanPeriod.month(of: store.calendar.today).previous
        let status = query.get("status").flatMap(ActStatus.init(rawValue:))
        var filter = ActQuery(from: period.firstDay, to: period.lastDay, limit: PageSize.maximum)
        filter.visibility = DealerVisibility.of(session.user.caller, scope: api.managerScope)
        var acts: [ReconciliationAct] = []
        // A period's acts, every page of them: a month has one per active dealer.
        while true {
            let page = try await store.acts(filter)
            acts += page.items
            guard let next = page.nextCursor, acts.count < 20_000 else { break }
            filter.cursor = next
        }
        let counts = try await accounts.actCounts(period: period, visibility: filter.visibility)
        let shown = acts.filter { status == nil || $0.status == status }
        if query.get("format") == "csv" {
            var rows = [["НОМЕР", "ДИЛЕР", "ИНН", "ПЕРИОД С", "ПЕРИОД ПО", "САЛЬДО НА КОНЕЦ", "СОСТОЯНИЕ", "ОТВЕТИЛ"]]
            rows += shown.map { act in
                [
                    act.number, act.statement.dealer.name, act.statement.dealer.inn, act.statement.from.russian, act.statement.to.russian,
                    Money(minorUnits: act.statement.closingMinor, currency: Currency(code: act.statement.currency) ?? .rub).decimalString
                        .replacingOccurrences(of: ".", with: ","),
                    ConsoleText.actStatus(act.status), act.answeredBy ?? "",
                ]
            }
            return Self.csv(rows, name: "acts-\(period).csv")
        }
        let statusFilter = status?.rawValue ?? ""
        let view: [String: Any] = [
            "period": period.description, "period_text": ConsoleText.month(period),
            "counts": ActStatus.allCases.map { item in
                [
                    "status": item.rawValue, "name": ConsoleText.actStatus(item), "count": counts[item] ?? 0,
                    "href": "/acts?period=\(period)&status=\(item.rawValue)", "current": item == status,
                ] as [String: Any]
            },
            "all_href": "/acts?period=\(period)", "total": acts.count,
            "acts": shown.map { act in
                Self.actRow(act).merging(["dealer": act.statement.dealer.name, "answered_by": act.answeredBy ?? "—"]) { $1 }
            },
            "any_acts": !shown.isEmpty,
            "csv": "/acts?period=\(period)&format=csv" + (statusFilter.isEmpty ? "" : "&status=\(statusFilter)"),
        ]
        return pages.page("acts", title: "Акты сверки", view: view, session: session)
    }

    func actDetail(_ session: ConsoleSession, context: APIContext) async throws -> Response {
        let act = try await visibleAct(session, context: context)
        let currency = Currency(code: act.statement.currency) ?? .rub
        func money(_ minor: Int64?) -> String { minor.map { ConsoleText.money($0, currency) } ?? "—" }
        let view: [String: Any] = [
            "id": act.id.lowercased, "number": act.number, "dealer": act.statement.dealer.name, "status": ConsoleText.actStatus(act.status),
            "from": act.statement.from.russian, "to": act.statement.to.russian, "opening": money(act.statement.openingMinor),
            "closing": money(act.statement.closingMinor), "debit": money(act.statement.debitTurnoverMinor),
            "credit": money(act.statement.creditTurnoverMinor),
            "lines": act.statement.lines.map { line in
                [
                    "date": line.date.russian, "document": line.document, "debit": line.debitMinor == 0 ? "" : money(line.debitMinor),
                    "credit": line.creditMinor == 0 ? "" : money(line.creditMinor),
                ]
            },
            "disputed": act.status == .disputed,
            "dealer_closing": money(act.dealerClosingMinor),
            "closing_differs": act.dealerClosingMinor.map { $0 != act.statement.closingMinor } ?? false,
            "discrepancies": act.discrepancies.map { line in
                [
                    "document": line.document, "ours": money(line.oursMinor), "theirs": money(line.theirsMinor),
                    "difference": line.theirsMinor.flatMap { theirs in ExactShare.difference(theirs, line.oursMinor ?? 0) }.map { money($0) } ?? "—",
                    "comment": line.comment ?? "",
                ]
            },
            "answered": act.answeredBy.map { by in
                "\(by), " + (act.answeredAt.map { RussianText.instant($0, in: store.calendar.timeZone) } ?? "")
            } ?? "",
        ]
        return pages.page("act", title: "Акт \(act.number)", view: view, session: session)
    }

    func actPrint(_ session: ConsoleSession, context: APIContext) async throws -> Response {
        Self.printable(try await visibleAct(session, context: context))
    }

    /// The act named by the path when the person may see its dealer; otherwise not found.
    func visibleAct(_ session: ConsoleSession, context: APIContext) async throws -> ReconciliationAct {
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text) else { throw DomainError.notFound(entity: "reconciliation act", id: text) }
        let act = try await store.act(id: id)
        guard try await store.isVisible(dealerID: act.dealerID, to: DealerVisibility.of(session.user.caller, scope: api.managerScope)) else {
            throw DomainError.notFound(entity: "reconciliation act", id: text)
        }
        return act
    }

    /// The act as printed (the page `/v1/reconciliation-acts/{id}/act.html` answers); it runs no
    /// script, so its policy allows its own inline styles and nothing else.
    static func printable(_ act: ReconciliationAct) -> Response {
        var headers = ConsolePages.securityHeaders(nonce: ConsoleToken.random(bytes: 18))
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: act.html)))
    }

    /// The act as a PDF download; a server without libharu or the fonts says so in a page.
    func actPDF(_ session: ConsoleSession?, _ act: ReconciliationAct) async throws -> Response {
        do {
            var response = try await ActPDFFile.response(for: act, fonts: api.pdfFonts)
            for field in ConsolePages.securityHeaders(nonce: ConsoleToken.random(bytes: 18)) where response.headers[field.name] == nil {
                response.headers.append(field)
            }
            return response
        } catch let problem as Problem where problem.code == "pdf_unavailable" {
            return message(
                session, title: "PDF недоступен",
                text: "На сервере не установлена библиотека PDF или шрифты. Откройте печатную форму и сохраните её в PDF из браузера.",
                status: .serviceUnavailable)
        }
    }

    /// A table as a CSV for Russian Excel (`ExcelCSV`), downloaded as `name`.
    static func csv(_ rows: [[String]], name: String) -> Response {
        var headers = ConsolePages.securityHeaders(nonce: ConsoleToken.random(bytes: 18))
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: ExcelCSV.document(rows))))
    }
}
