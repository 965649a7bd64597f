"""Header words of the columns that hold several categories at once (``MIXED`` headers).

A column of identity-document numbers (``证件号码`` next to ``证件类型``) holds resident IDs,
passports, travel permits and foreign permanent-residence IDs; a contact column (``联系方式``)
phones and e-mail addresses; a login column (``账号``, the account of a credential list)
phones, e-mail addresses, QQ numbers and login names. Each categorizer that can be found in
such a column names these words in its ``MIXED`` declaration (``docs/categorizers.md``); the
column is still assigned only when its values show the mix (``docs/classification.md``,
"Mixed columns").
"""

#: Identity-document number columns (matched like header synonyms: Chinese as substrings).
ID_DOCUMENT_HEADERS = ("证件号", "证件编号", "证照号码", "zjhm", "cert_no", "certificate_no",
                       "id_no", "document_no", "doc_no")
#: Contact columns.
CONTACT_HEADERS = ("联系方式", "联系信息", "contact", "contact_info")
#: Login columns: the account of a credential list, a user table's login.
LOGIN_HEADERS = ("账号", "帐号", "用户名", "登录名", "login", "username", "user_name",
                 "account")
