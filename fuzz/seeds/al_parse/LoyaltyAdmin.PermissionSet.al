namespace Contoso.Loyalty;

permissionset 50100 "Loyalty Admin"
{
    Assignable = true;
    Caption = 'Loyalty administration';

    Permissions = tabledata "Loyalty Tier" = RIMD,
                  table "Loyalty Tier" = X,
                  page "Loyalty Tiers" = X,
                  codeunit "Loyalty Management" = X,
                  report "Loyalty Points Statement" = X,
                  query "Customer Points" = X;
}
