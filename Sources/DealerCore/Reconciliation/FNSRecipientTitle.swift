import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The dealer's answer as its EDO operator delivers it: the recipient's title of the electronic act
/// (КНД 1110333). `ПризнРазн` 1 agrees; 2 disagrees, and its table lists the documents it differs on.
public struct FNSRecipientTitle: Sendable, Equatable {
    public struct Difference: Sendable, Equatable {
        /// «Платежное поручение № 123 от 20.01.2024»
        public var document: String
        public var number: String
        public var date: CivilDate?
        /// The amount by the dealer's books (its debit or credit on the line).
        public var theirsMinor: Int64?
        public var comment: String?
    }

    /// `ИдФайлИнфОтпр`: the sender's file this answers.
    public var answersFile: String
    public var agreed: Bool
    public var differences: [Difference]
    /// The dealer's closing balance by its own books (`ТаблАкт` @СальдоКонКр − @СальдоКонДеб), signed
    /// as ours: positive, the dealer owes us. Absent when its table does not state it.
    public var closingMinor: Int64?

    /// The act this answers, when the sender's file is one dealerd made (its id ends in the act's id).
    public var actID: UUID? {
        answersFile.split(separator: "_").last.flatMap { UUID(uuidString: String($0)) }
    }

    /// An answer applies to an act only by the identifier it carries: the file it answers must be
    /// that act's. One that names no act of ours, or another act, is refused, never guessed at.
    public func check(answers act: UUID) throws(Problem) {
        guard let answered = actID else {
            throw Problem(message: "ИдИнфОтпр/@ИдФайлИнфОтпр \(answersFile) names no act of ours: answer the file dealerd sent")
        }
        guard answered == act else {
            throw Problem(message: "this answer is to act \(answered.lowercased), not \(act.lowercased)")
        }
    }

    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Most documents one answer may list as differing (an act has at most a few thousand lines).
    public static let maximumDifferences = 5_000

    /// Reads the dealer's file. A document type declaration is refused outright: the format has
    /// none, and a DTD is how entity expansion ("billion laughs") and external entities get in.
    public init(parsing data: Data, currency: Currency = .rub) throws(Problem) {
        // XML spells the keyword in capitals only, the same bytes in UTF-8 and Windows-1251, and an
        // entity can be declared nowhere else; the whole file is searched, since comments may come first.
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil {
            throw Problem(message: "a document type declaration (<!DOCTYPE) is not accepted in an EDO answer")
        }
        let collector = ElementCollector()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        guard parser.parse() else {
            throw Problem(message: "not a readable XML file: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        guard let file = collector.elements.first(where: { $0.name == "Файл" }) else { throw Problem(message: "no Файл element") }
        guard let document = collector.elements.first(where: { $0.name == "Документ" }), document.attributes["КНД"] == "1110333" else {
            throw Problem(message: "not a recipient's title of a reconciliation act (КНД 1110333)")
        }
        guard let sent = collector.elements.first(where: { $0.name == "ИдИнфОтпр" })?.attributes["ИдФайлИнфОтпр"] else {
            throw Problem(message: "ИдИнфОтпр/@ИдФайлИнфОтпр (the file it answers) is missing")
        }
        answersFile = sent
        switch file.attributes["ПризнРазн"] {
        case "1": agreed = true
        case "2": agreed = false
        default: throw Problem(message: "Файл/@ПризнРазн must be 1 (agreed) or 2 (disagreement)")
        }
        closingMinor = nil
        if let table = collector.elements.first(where: { $0.name == "ТаблАкт" }) {
            let credit = try Self.amount(table.attributes["СальдоКонКр"], "ТаблАкт/@СальдоКонКр", currency)
            let debit = try Self.amount(table.attributes["СальдоКонДеб"], "ТаблАкт/@СальдоКонДеб", currency)
            // The buyer's books: a credit balance is what it owes the supplier, a debit one what it paid ahead.
            if credit != nil || debit != nil { closingMinor = (credit ?? 0) - (debit ?? 0) }
        }
        var differences: [Difference] = []
        var current: (number: String, title: String, date: String)?
        for element in collector.elements {
            switch element.name {
            case "ДокСв":
                current = (element.attributes["НомДок"] ?? "", element.attributes["НаимДок"] ?? "", element.attributes["ДатаДок"] ?? "")
            case "СвОпер":
                guard let document = current else { continue }
                let theirs = try Self.amount(
                    element.attributes["СумДебет"] ?? element.attributes["СумКредит"], "СвОпер \(element.attributes["НомСтр"] ?? "")", currency)
                guard differences.count < Self.maximumDifferences else {
                    throw Problem(message: "more than \(Self.maximumDifferences) differing documents in one answer")
                }
                differences.append(
                    Difference(
                        document: "\(document.title) № \(document.number) от \(document.date)", number: document.number,
                        date: CivilDate(parsing: document.date), theirsMinor: theirs, comment: element.attributes["ДопИнф"]))
            default:
                continue
            }
        }
        if !agreed && differences.isEmpty { throw Problem(message: "a disagreement (ПризнРазн 2) without a ТаблАкт of differing documents") }
        self.differences = agreed ? [] : differences
    }

    private static func amount(_ text: String?, _ place: String, _ currency: Currency) throws(Problem) -> Int64? {
        guard let text else { return nil }
        do { return try Money(parsing: text, currency: currency).minorUnits } catch {
            throw Problem(message: "\(place): \(text) is not an amount")
        }
    }
}

/// Every element with its attributes, in document order (the titles are small).
private final class ElementCollector: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    var elements: [Element] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(Element(name: elementName, attributes: attributes))
    }
}
