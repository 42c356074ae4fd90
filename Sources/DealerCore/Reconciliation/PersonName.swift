import Foundation

/// A person's full name as Russian documents give it: surname, name and (when there is one) patronymic.
public struct PersonName: Sendable, Equatable {
    public var surname: String
    public var name: String
    public var patronymic: String?

    public init(surname: String, name: String, patronymic: String? = nil) {
        self.surname = surname
        self.name = name
        self.patronymic = patronymic
    }

    /// Read from a sole trader's legal name: «ИП Петров Пётр Петрович», «Индивидуальный
    /// предприниматель Петров Пётр», «Петрова Анна Сергеевна». Nil without at least a surname and a name.
    public init?(soleTraderName text: String) {
        var words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        let prefixes = [["индивидуальный", "предприниматель"], ["ип"]]
        for prefix in prefixes where words.count > prefix.count && zip(words, prefix).allSatisfy({ $0.lowercased() == $1 }) {
            words.removeFirst(prefix.count)
            break
        }
        guard words.count >= 2, words.allSatisfy({ $0.count <= 60 && $0.allSatisfy { $0.isLetter || $0 == "-" } }) else { return nil }
        let rest = words.dropFirst(2).joined(separator: " ")
        guard rest.count <= 60 else { return nil }
        self.init(surname: words[0], name: words[1], patronymic: rest.isEmpty ? nil : rest)
    }

    /// The FNS formats' `<ФИО Фамилия=… Имя=… Отчество=…/>`.
    var fnsElement: String {
        "<ФИО Фамилия=\"\(FNSSenderTitle.escape(surname))\" Имя=\"\(FNSSenderTitle.escape(name))\""
            + (patronymic.map { " Отчество=\"\(FNSSenderTitle.escape($0))\"" } ?? "") + "/>"
    }
}
