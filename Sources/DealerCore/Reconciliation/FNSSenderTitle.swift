import Foundation

/// What the FNS electronic act needs beyond the act itself (`reconciliation.edo.*` in config): our
/// ОГРН, a contact, the signatory, and the EDO participant id operators route by.
public struct FNSExportSettings: Sendable, Equatable {
    public struct Signatory: Sendable, Equatable {
        public var surname: String
        public var name: String
        public var patronymic: String?
        public var position: String?

        public init(surname: String, name: String, patronymic: String? = nil, position: String? = nil) {
            self.surname = surname
            self.name = name
            self.patronymic = patronymic
            self.position = position
        }
    }

    public var ogrn: String?
    public var phone: String?
    public var email: String?
    public var edoID: String?
    public var signatory: Signatory?
    public var program: String

    public init(
        ogrn: String? = nil, phone: String? = nil, email: String? = nil, edoID: String? = nil, signatory: Signatory? = nil,
        program: String = "dealerd"
    ) {
        self.ogrn = ogrn
        self.phone = phone
        self.email = email
        self.edoID = edoID
        self.signatory = signatory
        self.program = program
    }
}

/// The dealer's details the electronic act names, from its card.
public struct FNSCounterparty: Sendable, Equatable {
    public var ogrn: String?
    public var phone: String?
    public var email: String?
    public var edoID: String?
    /// A sole trader's full name, when its card gives it apart from the legal name.
    public var person: PersonName?

    public init(ogrn: String?, phone: String?, email: String?, edoID: String?, person: PersonName? = nil) {
        self.ogrn = ogrn
        self.phone = phone
        self.email = email
        self.edoID = edoID
        self.person = person
    }
}

/// Why an act cannot be exported as the FNS file, with the setting or card field to fill.
public struct FNSExportProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String
    public var description: String { "\(field): \(message)" }
}

/// The sender's title of the electronic reconciliation act (КНД 1110332, приказ ФНС ЕД-7-26/405@,
/// format 5.01), as EDO operators (Diadoc, СБИС) exchange it: Windows-1251 XML.
public enum FNSSenderTitle {
    public struct File: Sendable {
        /// `ИдФайл`, which is also the file's name without `.xml`.
        public var id: String
        public var bytes: [UInt8]
    }

    public static func build(
        _ act: ReconciliationAct, settings: FNSExportSettings, dealer: FNSCounterparty, at instant: Date, in zone: TimeZone
    ) throws(FNSExportProblem) -> File {
        let statement = act.statement
        guard let ourOGRN = settings.ogrn, ourOGRN.count == 13, ourOGRN.allSatisfy(\.isASCIIDigit) else {
            throw FNSExportProblem(field: "reconciliation.edo.ogrn", message: "our ОГРН (13 digits) is required by the format; set it in config")
        }
        guard let signatory = settings.signatory else {
            throw FNSExportProblem(field: "reconciliation.edo.signatory", message: "the signatory's surname and name are required by the format")
        }
        guard settings.phone != nil || settings.email != nil else {
            throw FNSExportProblem(field: "reconciliation.edo.phone", message: "a phone or e-mail of ours is required by the format")
        }
        guard let ourKPP = statement.company.kpp else {
            throw FNSExportProblem(field: "company.kpp", message: "a company's КПП is required by the format")
        }
        let recipientIdentity = try identity(of: statement.dealer, dealer)
        guard dealer.phone != nil || dealer.email != nil else {
            throw FNSExportProblem(field: "dealer.contacts", message: "a phone or e-mail of the dealer is required by the format")
        }
        let today = CivilDate(instant, in: zone)
        let seconds = Int(floorModulo(Timestamp.wholeSeconds(instant) + Int64(zone.secondsFromGMT(for: instant)), 86400))
        let time = (seconds / 3600).zeroPadded(2) + ":" + (seconds / 60 % 60).zeroPadded(2) + ":" + (seconds % 60).zeroPadded(2)
        let recipient = dealer.edoID ?? ([statement.dealer.inn] + [statement.dealer.kpp].compactMap { $0 }).joined(separator: "-")
        let sender = settings.edoID ?? "\(statement.company.inn)-\(ourKPP)"
        let fileID =
            "ON_AKTSVEROTP_\(recipient)_\(sender)_\(today.year.zeroPadded(4))\(today.month.zeroPadded(2))\(today.day.zeroPadded(2))_\(act.id.lowercased)"
        let currency = Currency(code: statement.currency) ?? .rub
        func sum(_ minor: Int64) -> String { Money(minorUnits: minor, currency: currency).decimalString }
        func balances(_ prefix: String) -> String {
            "СальдоНачДеб=\"\(sum(max(0, statement.openingMinor)))\" СальдоНачКр=\"\(sum(max(0, -statement.openingMinor)))\" "
                + "ОборотДеб=\"\(sum(statement.debitTurnoverMinor))\" ОборотКр=\"\(sum(statement.creditTurnoverMinor))\" "
                + "СальдоКонДеб=\"\(sum(max(0, statement.closingMinor)))\" СальдоКонКр=\"\(sum(max(0, -statement.closingMinor)))\""
        }
        func contact(phone: String?, email: String?) -> String {
            "<Контакт" + (phone.map { " Тлф=\"\(escape($0))\"" } ?? "") + (email.map { " ЭлПочта=\"\(escape($0))\"" } ?? "") + "/>"
        }
        var documents = ""
        for (index, line) in statement.lines.enumerated() {
            let amount = line.debitMinor > 0 ? "СумДебет=\"\(sum(line.debitMinor))\"" : "СумКредит=\"\(sum(line.creditMinor))\""
            documents += """
                        <ДокСв НаимДок="\(escape(String(line.title.prefix(100))))" НомДок="\(escape(String(line.number.prefix(50))))" ДатаДок="\(line.date.russian)">
                          <СвОпер НомСтр="\(index + 1)" ДатаОпер="\(line.date.russian)" НаимОпер="\(escape(line.title))" \(amount)/>
                        </ДокСв>

                """
        }
        let signatoryName = PersonName(surname: signatory.surname, name: signatory.name, patronymic: signatory.patronymic).fnsElement
        let xml = """
            <?xml version="1.0" encoding="windows-1251"?>
            <Файл ИдФайл="\(escape(fileID))" ВерсФорм="5.01" ВерсПрог="\(escape(String(settings.program.prefix(40))))">
              <Документ КНД="1110332" ДатаИнфОтпр="\(today.russian)" ВрИнфОтпр="\(time)" ДатаНачПер="\(statement.from.russian)" ДатаОкПер="\(statement.to.russian)" НомерАкт="\(escape(act.number))">
                <СвДокКрАкт КодОКВ="\(currency.numericCode)">
                  <СвОтпр>
                    <ИдСв><СвЮЛУч НаимОрг="\(escape(statement.company.name))" ИННЮЛ="\(statement.company.inn)" КПП="\(ourKPP)" ОГРН="\(ourOGRN)"/></ИдСв>
                    \(contact(phone: settings.phone, email: settings.email))
                  </СвОтпр>
                  <СвПол>
                    <ИдСв>\(recipientIdentity)</ИдСв>
                    \(contact(phone: dealer.phone, email: dealer.email))
                  </СвПол>
                </СвДокКрАкт>
                <ТаблАкт \(balances(""))>
                  <ДогСв \(balances(""))>
            \(documents)      </ДогСв>
                </ТаблАкт>
                <Подписант\(signatory.position.map { " Должн=\"\(escape($0))\"" } ?? "")>
                  \(signatoryName)
                </Подписант>
              </Документ>
            </Файл>

            """
        switch ImportText.encodeWindows1251(xml) {
        case .success(let bytes): return File(id: fileID, bytes: bytes)
        case .failure(let problem):
            throw FNSExportProblem(
                field: "act", message: "the character \(problem.character) cannot be written in Windows-1251, which the format requires")
        }
    }

    /// The dealer as the format identifies it: a company (10-digit INN) by name, INN, КПП and ОГРН; a
    /// sole trader (12-digit INN) by INN, ОГРНИП and full name — from the card's fields `surname`,
    /// `name`, `patronymic`, else from its legal name («ИП Петров Пётр Петрович»).
    static func identity(of party: ActParty, _ dealer: FNSCounterparty) throws(FNSExportProblem) -> String {
        switch party.inn.count {
        case 10:
            guard let ogrn = dealer.ogrn, ogrn.count == 13, ogrn.allSatisfy(\.isASCIIDigit) else {
                throw FNSExportProblem(
                    field: "dealer.attributes.ogrn", message: "the dealer's ОГРН (13 digits) is required by the format; add it to its card")
            }
            guard let kpp = party.kpp else { throw FNSExportProblem(field: "dealer.kpp", message: "a company's КПП is required by the format") }
            return "<СвЮЛУч НаимОрг=\"\(escape(party.name))\" ИННЮЛ=\"\(party.inn)\" КПП=\"\(kpp)\" ОГРН=\"\(ogrn)\"/>"
        case 12:
            guard let ogrnip = dealer.ogrn, ogrnip.count == 15, ogrnip.allSatisfy(\.isASCIIDigit) else {
                throw FNSExportProblem(
                    field: "dealer.attributes.ogrn", message: "a sole trader's ОГРНИП (15 digits) is required by the format; add it to its card")
            }
            guard let person = dealer.person ?? PersonName(soleTraderName: party.name) else {
                throw FNSExportProblem(
                    field: "dealer.legal_name",
                    message:
                        "a sole trader's surname and name are required by the format: a legal name like «ИП Петров Пётр Петрович», or attributes surname and name"
                )
            }
            return "<СвИП ИННФЛ=\"\(party.inn)\" ОГРНИП=\"\(ogrnip)\">\(person.fnsElement)</СвИП>"
        default:
            throw FNSExportProblem(field: "dealer.tax_id", message: "the format names a Russian company or sole trader by its INN of 10 or 12 digits")
        }
    }

    static func escape(_ text: String) -> String { text.markupEscaped }
}
