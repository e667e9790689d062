namespace Contoso.Loyalty;

using Microsoft.Sales.Customer;

query 50100 "Customer Points"
{
    QueryType = Normal;
    Caption = 'Customer Points';

    elements
    {
        dataitem(Customer; Customer)
        {
            column(No; "No.")
            {
            }
            column(LoyaltyPoints; "Loyalty Points")
            {
            }
            column(LoyaltyTierCode; "Loyalty Tier Code")
            {
            }
        }
    }
}
