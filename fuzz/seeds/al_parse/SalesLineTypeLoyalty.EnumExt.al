namespace Contoso.Loyalty;

using Microsoft.Sales.Document;

enumextension 50100 "Sales Line Type Loyalty" extends "Sales Line Type"
{
    value(50100; "Loyalty Reward")
    {
        Caption = 'Loyalty Reward';
    }
}
